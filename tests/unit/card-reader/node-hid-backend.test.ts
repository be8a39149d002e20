import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { loadNodeHid, NodeHidBackend, type NodeHidDeviceInfo, type NodeHidHandle, type NodeHidModule } from '../../../electron/card-reader/node-hid-backend'
import { settle } from '../../../electron/card-reader/scheduler'

/** Stands in for node-hid's HIDAsync handle: the test emits data and errors by hand. */
class StubHandle extends EventEmitter implements NodeHidHandle {
  closed = 0
  closeError: Error | null = null
  async close(): Promise<void> {
    this.closed++
    if (this.closeError) throw this.closeError
  }
}

/** A node-hid module with no hardware behind it. */
function stubHid(devices: NodeHidDeviceInfo[] = []) {
  const opened: string[] = []
  const handles: StubHandle[] = []
  let openGate: Promise<void> = Promise.resolve()
  let openError: Error | null = null
  const hid: NodeHidModule = {
    devicesAsync: async () => devices,
    HIDAsync: {
      open: async (path: string) => {
        await openGate
        if (openError) throw openError
        opened.push(path)
        const h = new StubHandle()
        handles.push(h)
        return h
      },
    },
  }
  return {
    hid,
    opened,
    handles,
    gate(p: Promise<void>) {
      openGate = p
    },
    failOpen(e: Error) {
      openError = e
    },
  }
}

const KEYBOARD: NodeHidDeviceInfo = { vendorId: 0xffff, productId: 0x35, path: '/dev/hidraw3', usagePage: 1, usage: 6, interface: 0, product: 'USB ID Reader', manufacturer: 'x' }

async function openDevice(stub: ReturnType<typeof stubHid>) {
  const backend = new NodeHidBackend(async () => stub.hid)
  const [info] = await backend.list()
  if (!info) throw new Error('no device')
  const device = backend.device(info)
  const data: Uint8Array[] = []
  const errors: Error[] = []
  device.onData((d) => data.push(d))
  device.onError((e) => errors.push(e))
  await device.open()
  return { device, data, errors, handle: stub.handles[0] as StubHandle }
}

describe('node-hid backend (stubbed module, no device)', () => {
  it('lists HID interfaces with a path, and loads node-hid once', async () => {
    let loads = 0
    const stub = stubHid([KEYBOARD, { vendorId: 1, productId: 2 }])
    const backend = new NodeHidBackend(async () => {
      loads++
      return stub.hid
    })
    expect(await backend.list()).toEqual([
      { path: '/dev/hidraw3', vendorId: 0xffff, productId: 0x35, usagePage: 1, usage: 6, interface: 0, product: 'USB ID Reader', manufacturer: 'x' },
    ])
    await backend.list()
    expect(loads).toBe(1)
  })

  it('a node-hid that fails to load is a clear error, and loading is tried again later', async () => {
    let loads = 0
    const stub = stubHid([KEYBOARD])
    const backend = new NodeHidBackend(async () => {
      if (++loads === 1) throw new Error('Could not locate the bindings file')
      return stub.hid
    })
    await expect(backend.list()).rejects.toThrow('node-hid is not available: Could not locate the bindings file')
    await expect(backend.list()).resolves.toHaveLength(1)
    const broken = new NodeHidBackend(() => Promise.reject('not an Error'))
    await expect(broken.device({ path: 'p', vendorId: 1, productId: 2 }).open()).rejects.toThrow('node-hid is not available: not an Error')
  })

  it('opens by path and hands on reports as byte arrays', async () => {
    const stub = stubHid([KEYBOARD])
    const { device, data, handle } = await openDevice(stub)
    expect(stub.opened).toEqual(['/dev/hidraw3'])
    handle.emit('data', Buffer.from([0, 0, 0x27, 0, 0, 0, 0, 0]))
    expect(data).toEqual([new Uint8Array([0, 0, 0x27, 0, 0, 0, 0, 0])])
    expect(data[0]).not.toBeInstanceOf(Buffer)
    await device.open()
    expect(stub.opened).toHaveLength(1)
  })

  it('a read-thread error (unplug) is reported once, closes the handle, and stops data', async () => {
    const stub = stubHid([KEYBOARD])
    const { data, errors, handle } = await openDevice(stub)
    handle.emit('error', new Error('could not read from HID device'))
    handle.emit('error', new Error('again'))
    handle.emit('data', Buffer.from([1]))
    await settle()
    expect(errors.map((e) => e.message)).toEqual(['could not read from HID device'])
    expect(data).toEqual([])
    expect(handle.closed).toBe(1)
  })

  it('wraps errors that are not Error objects', async () => {
    const stub = stubHid([KEYBOARD])
    const { errors, handle } = await openDevice(stub)
    handle.emit('error', 'Cannot read')
    expect(errors[0]).toBeInstanceOf(Error)
    expect(errors[0]?.message).toBe('Cannot read')
  })

  it('close is quiet when the device is already gone, and safe to repeat', async () => {
    const stub = stubHid([KEYBOARD])
    const { device, data, handle } = await openDevice(stub)
    handle.closeError = new Error('device disconnected')
    await expect(device.close()).resolves.toBeUndefined()
    await device.close()
    expect(handle.closed).toBe(1)
    expect(handle.listenerCount('data')).toBe(0)
    // a late read-thread error after close must not throw (no listener = crash)
    expect(() => handle.emit('error', new Error('late'))).not.toThrow()
    handle.emit('data', Buffer.from([1]))
    expect(data).toEqual([])
  })

  it('close before open is a no-op', async () => {
    const backend = new NodeHidBackend(async () => stubHid().hid)
    await expect(backend.device({ path: 'p', vendorId: 1, productId: 2 }).close()).resolves.toBeUndefined()
  })

  it('an open that fails rejects with the node-hid error', async () => {
    const stub = stubHid([KEYBOARD])
    stub.failOpen(new Error('cannot open device with path /dev/hidraw3'))
    await expect(openDevice(stub)).rejects.toThrow('cannot open device with path /dev/hidraw3')
  })

  it('a close while opening cancels the open and closes the late handle', async () => {
    const stub = stubHid([KEYBOARD])
    let release: () => void = () => undefined
    stub.gate(new Promise((r) => (release = r)))
    const backend = new NodeHidBackend(async () => stub.hid)
    const device = backend.device({ path: '/dev/hidraw3', vendorId: 0xffff, productId: 0x35 })
    const opening = device.open()
    await settle()
    await device.close()
    release()
    await expect(opening).rejects.toThrow('reader closed while opening')
    expect(stub.handles[0]?.closed).toBe(1)
  })

  it('unsubscribed listeners hear nothing', async () => {
    const stub = stubHid([KEYBOARD])
    const backend = new NodeHidBackend(async () => stub.hid)
    const device = backend.device({ path: '/dev/hidraw3', vendorId: 0xffff, productId: 0x35 })
    const data: Uint8Array[] = []
    const off = device.onData((d) => data.push(d))
    await device.open()
    off()
    stub.handles[0]?.emit('data', Buffer.from([1]))
    expect(data).toEqual([])
  })
})

describe('the real node-hid module', () => {
  // no reader is attached here: this only proves the native binding loads on this Node
  it('loads and enumerates (an empty list on a machine without HID devices is fine)', async () => {
    const hid = await loadNodeHid()
    expect(typeof hid.devicesAsync).toBe('function')
    expect(typeof hid.HIDAsync.open).toBe('function')
    expect(Array.isArray(await new NodeHidBackend().list())).toBe(true)
  })
})
