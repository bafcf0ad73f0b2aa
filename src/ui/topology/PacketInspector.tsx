import { useEffect, useRef } from "react";
import { formatBytes, visibleBytes } from "../format/bytes";
import { formatLogTime } from "../format/time";
import { usePlayground } from "../store/store";
import type { InspectedPacket } from "./PacketLayer";

/**
 * The raw bytes of a packet, with `\r\n` spelled out: shown on hover, or
 * pinned by a tap or click until closed (Escape closes it too).
 */
export function PacketInspector({
  inspected,
  onClose,
}: {
  inspected: InspectedPacket;
  onClose: () => void;
}) {
  const packet = usePlayground((s) => s.wire.find((p) => p.id === inspected.id) ?? null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!inspected.pinned) return;
    closeRef.current?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [inspected.pinned, onClose]);

  if (!packet) return null;
  const raw = visibleBytes(packet.bytes, 1024);
  return (
    <div
      className={`packet-inspector${inspected.pinned ? " is-pinned" : ""}`}
      style={{ left: inspected.x, top: inspected.y }}
      role={inspected.pinned ? "dialog" : "tooltip"}
      aria-label={`Bytes of ${packet.label}`}
      data-testid="packet-inspector"
    >
      <div className="inspector-head">
        <strong className={`kind-chip kind-${packet.kind}`}>{packet.label}</strong>
        {inspected.pinned && (
          <button
            ref={closeRef}
            type="button"
            className="icon-button"
            aria-label="Close"
            onClick={onClose}
          >
            ×
          </button>
        )}
      </div>
      <p className="inspector-meta">
        {packet.from} → {packet.to} · {formatBytes(packet.sizeBytes)} · sent{" "}
        {formatLogTime(packet.t)} s · due {formatLogTime(packet.deliverAt)} s
      </p>
      <pre className="raw-bytes">
        {raw.text}
        {raw.omitted > 0 && (
          <span className="omitted">{`\n… ${formatBytes(raw.omitted)} more`}</span>
        )}
      </pre>
    </div>
  );
}
