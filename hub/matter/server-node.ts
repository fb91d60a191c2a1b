/**
 * matter.js's ServerNode with a fix for its factory reset (matter.js 0.17.9). When a node's last controller
 * (fabric) is removed, CommissioningServer erases the node and `initialize()` runs again, which registers a new
 * set of shared node services (the mDNS service among them) without closing the previous set. The old set keeps
 * its claim on the shared mDNS service, so closing the node later never closes mDNS: its UDP sockets stay open
 * until the process (here: the Matter worker thread) ends, and the worker could not end by itself.
 * This subclass closes the previous set once the new one is in place (test/e2e/matter-lifecycle.test.ts).
 */
import { type Environmental, ServerNode } from "@matter/main";

interface Closable {
  close(): unknown;
}

/** Per node; not a class field, because the base constructor runs `initialize()` before fields exist. */
const sharedServices = new WeakMap<ServerNode, Closable>();

export class HubServerNode extends ServerNode {
  protected override async initialize(): Promise<void> {
    const previous = sharedServices.get(this);
    // The class is private to matter.js; it is recognised by name when ServerEnvironment.initialize sets it.
    const capture = (type: Environmental.ServiceType<object>, instance: object) => {
      if ((type as { name?: string }).name === "SharedNodeServices")
        sharedServices.set(this, instance as Closable);
    };
    this.env.added.on(capture);
    try {
      await super.initialize();
    } finally {
      this.env.added.off(capture);
    }
    if (previous && previous !== sharedServices.get(this)) await previous.close();
  }
}
