; Keyuan's Windows firewall rule (electron-builder.yml nsis.include): the other PCs of the branch
; reach the host on its LAN port, 8640 by default, over HTTPS. The rule lets in only that port,
; only for Keyuan's own program, only on private and domain networks (never a public Wi-Fi).
; A port changed under the tray menu needs its own rule (docs/usage.md says how).
!define KEYUAN_FIREWALL_RULE "Keyuan LAN 8640"
!define KEYUAN_LAN_PORT 8640

!macro customInstall
  ; an earlier install's rule is replaced, not doubled
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${KEYUAN_FIREWALL_RULE}"'
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${KEYUAN_FIREWALL_RULE}" dir=in action=allow protocol=TCP localport=${KEYUAN_LAN_PORT} profile=private,domain program="$INSTDIR\${APP_EXECUTABLE_FILENAME}" enable=yes'
!macroend

!macro customUnInstall
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${KEYUAN_FIREWALL_RULE}"'
!macroend
