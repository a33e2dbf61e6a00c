/** Web byte streams for the KB tests: documents served piece by piece, with a count of what was pulled. */

export interface CountedStream {
  body: ReadableStream<Uint8Array>;
  /** bytes handed out so far, and whether the reader cancelled the rest */
  state: { pulled: number; cancelled: boolean; done: boolean };
}

/** `bytes` served in pieces of `pieceSize`, only as fast as the reader pulls. */
export function streamOf(bytes: Uint8Array, pieceSize = 64 * 1024): CountedStream {
  let at = 0;
  return counted(() => {
    if (at >= bytes.length) return null;
    const piece = bytes.slice(at, at + pieceSize);
    at += piece.length;
    return piece;
  });
}

/** An endless CSV (rows of words and numbers), made as it is pulled: never held whole anywhere. */
export function endlessCsv(pieceSize = 64 * 1024): CountedStream {
  const encoder = new TextEncoder();
  let row = 0;
  return counted(() => {
    const lines: string[] = [];
    let length = 0;
    while (length < pieceSize) {
      const line = `${row},customer ${row % 9973},order placed in store ${row % 211},${(row * 7.31).toFixed(2)}\n`;
      lines.push(line);
      length += line.length;
      row++;
    }
    return encoder.encode(lines.join(""));
  });
}

function counted(next: () => Uint8Array | null): CountedStream {
  const state = { pulled: 0, cancelled: false, done: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const piece = next();
        if (piece === null) {
          state.done = true;
          return controller.close();
        }
        state.pulled += piece.length;
        controller.enqueue(piece);
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, state };
}
