/**
 * The topology drawing as a standalone SVG file: a copy of the page's SVG
 * with the styles the page's CSS gave each element written onto it (so it
 * looks the same without the stylesheet, in the current theme), and as a PNG
 * drawn from that SVG on a canvas.
 */

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * The computed properties that decide how an SVG element looks. All are SVG
 * presentation attributes, so they are written as attributes: a `style`
 * attribute would break the page's Content-Security-Policy (no inline styles).
 */
const STYLE_PROPERTIES = [
  "display",
  "visibility",
  "opacity",
  "fill",
  "fill-opacity",
  "fill-rule",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "stroke-dashoffset",
  "stroke-linecap",
  "stroke-linejoin",
  "paint-order",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "letter-spacing",
  "text-anchor",
  "dominant-baseline",
  "color",
];

export interface DiagramImage {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/** Serialises `source` with its computed styles inlined, on `background`. */
export function diagramSvg(source: SVGSVGElement, background: string): DiagramImage {
  const copy = source.cloneNode(true) as SVGSVGElement;
  inlineStyles(source, copy);
  const box = source.viewBox.baseVal;
  const width = Math.round(box.width || source.clientWidth);
  const height = Math.round(box.height || source.clientHeight);
  copy.setAttribute("xmlns", SVG_NS);
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  copy.removeAttribute("class");
  const backdrop = document.createElementNS(SVG_NS, "rect");
  backdrop.setAttribute("x", String(box.x));
  backdrop.setAttribute("y", String(box.y));
  backdrop.setAttribute("width", String(width));
  backdrop.setAttribute("height", String(height));
  backdrop.setAttribute("fill", background);
  copy.insertBefore(backdrop, copy.firstChild);
  const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
  return { svg, width, height };
}

/** Walks the original and the copy together, writing each element's computed look onto its copy. */
function inlineStyles(original: Element, copy: Element): void {
  const computed = getComputedStyle(original);
  for (const p of STYLE_PROPERTIES) {
    const v = computed.getPropertyValue(p);
    if (v !== "") copy.setAttribute(p, v);
  }
  // text-transform is not an SVG attribute: the copy's text takes the case the page shows.
  const transform = computed.getPropertyValue("text-transform");
  if (transform === "uppercase" || transform === "lowercase") {
    for (const node of copy.childNodes) {
      if (node.nodeType === Node.TEXT_NODE && node.textContent !== null)
        node.textContent =
          transform === "uppercase"
            ? node.textContent.toUpperCase()
            : node.textContent.toLowerCase();
    }
  }
  copy.removeAttribute("tabindex");
  const a = original.children;
  const b = copy.children;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x && y) inlineStyles(x, y);
  }
}

/** The SVG drawn on a canvas at `scale` times its size, as PNG bytes. */
export async function diagramPng(image: DiagramImage, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([image.svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width * scale;
    canvas.height = image.height * scale;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("this browser cannot draw on a canvas");
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, image.width, image.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error("the canvas gave no PNG"))),
        "image/png",
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
