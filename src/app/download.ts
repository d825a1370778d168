/** Offers text or bytes to the visitor as a file download (the page's one way out for exports). */
export function download(filename: string, content: Blob | Uint8Array | string, type = 'text/plain'): void {
  const blob = content instanceof Blob ? content : new Blob([content as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
