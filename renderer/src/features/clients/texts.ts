/** Texts of the clients area (客户), Chinese first; `clientsEn` must have the same keys. */
export const clientsZh = {
  title: '客户',
}

export const clientsEn: typeof clientsZh = {
  title: 'Clients',
}
