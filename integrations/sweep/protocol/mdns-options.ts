/**
 * Socket options for multicast-dns (through bonjour-service) when mDNS must stay on one interface.
 * multicast-dns binds to the interface's unicast address when given one, and on Linux a socket bound to a
 * unicast address never receives multicast; so bind to the wildcard address and only pick the interface
 * for sending and for the group membership.
 */
export function mdnsSocketOptions(interfaceAddress: string | undefined): Record<string, unknown> {
  if (!interfaceAddress) return {};
  return { interface: interfaceAddress, bind: interfaceAddress.includes(":") ? "::" : "0.0.0.0" };
}
