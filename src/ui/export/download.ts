/** Offers `data` to the reader as a file named `filename` (the browser's download). */
export function download(filename: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file once click() returns; revoke later so slow browsers still read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name made from a scenario's name: letters, digits and dashes only. */
export function fileStem(name: string | null): string {
  const stem = (name ?? "playground")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return stem === "" ? "playground" : stem;
}
