import type { Point } from "../store/state";
import { usePlayground } from "../store/store";
import type { CaptionSide } from "./NodeGlyph";
import { NODE_RADIUS } from "./NodeGlyph";
import type { useNodeDrag } from "./useNodeDrag";

interface ClientGlyphProps {
  readonly name: string;
  readonly position: Point;
  readonly captionSide: CaptionSide;
  readonly running: boolean;
  readonly classes: string;
  readonly transform: string;
  readonly drag: ReturnType<typeof useNodeDrag>;
}

/**
 * An application client in the topology: a rounded square (it is no server),
 * with what the ledger says of its writes: acknowledged, and lost.
 */
export function ClientGlyph({
  name,
  position,
  captionSide,
  running,
  classes,
  transform,
  drag,
}: ClientGlyphProps) {
  const acked = usePlayground((s) => s.ledger.entries.filter((e) => e.client === name).length);
  const lost = usePlayground(
    (s) => s.ledger.entries.filter((e) => e.client === name && e.lost !== null).length,
  );
  const side = NODE_RADIUS * 1.5;
  const label = `${name}: ${running ? "application client" : "stopped client"}, ${acked} writes acknowledged, ${lost} lost. Arrow keys move it; Enter opens its panel.`;
  return (
    <g
      className={`${classes} role-client`}
      transform={`translate(${position.x},${position.y})`}
      data-testid={`topology-node-${name}`}
      role="button"
      tabIndex={0}
      aria-label={label}
      {...drag}
    >
      <rect
        className="node-halo"
        x={-side / 2 - 4}
        y={-side / 2 - 4}
        width={side + 8}
        height={side + 8}
        rx={12}
      />
      <rect className="node-disc" x={-side / 2} y={-side / 2} width={side} height={side} rx={9} />
      <text className="node-name" y={-2}>
        {name}
      </text>
      <text className="node-role" y={12}>
        {running ? "client" : "down"}
      </text>
      <g className={`node-caption caption-${captionSide}`} transform={transform}>
        <text className="node-offset" data-testid={`topology-writes-${name}`}>
          {acked} acked
        </text>
        <text className={`status-text tone-${lost > 0 ? "bad" : "ok"}`} y={17}>
          {lost} lost
        </text>
      </g>
    </g>
  );
}
