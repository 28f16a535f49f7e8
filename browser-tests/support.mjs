// Shared helpers of the browser tests: valid ID numbers and a free local port.

import net from "node:net";

/** A GB 11643 ID number: area code, birth date YYYYMMDD, sequence, check character. */
export function idNumber(area, birth, seq) {
  const body = `${area}${birth}${String(seq).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return body + "10X98765432"[sum % 11];
}

/** A port nobody listens on, for the server under test. */
export function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
