import type { Server } from "../engine/server/server";
import type { ServerQuietView } from "./hostStep";

/** What the settle condition reads of one running server (see `quiet.ts`). */
export function serverQuietView(s: Server): ServerQuietView {
  const link = s.masterLink;
  return {
    masterReplOffset: s.masterReplOffset,
    replicas: s.replicas.map((r) => ({
      peerIp: r.peerIp,
      online: r.replica?.state === "online",
      conn: r.conn,
      ackOffset: r.replica?.ackOffset ?? null,
    })),
    replicaOf:
      s.isReplica && s.masterHost !== null
        ? {
            masterHost: s.masterHost,
            linked: s.replState === "connected" && !!link?.client,
            replOff: link ? link.replOff : null,
            conn: link ? link.conn : null,
          }
        : null,
  };
}
