import { NodePanel } from "../nodes/NodePanel";
import { usePlayground } from "../store/store";

/** Every node's panel (console, keys, INFO), as the full page lays them out. */
export function NodePanels() {
  const order = usePlayground((s) => s.order);
  return (
    <section className="nodes" aria-label="Nodes">
      {order.map((n) => (
        <NodePanel key={n} name={n} />
      ))}
    </section>
  );
}
