// The HTTP layer of the HiPKI Local Server: the real component is Node.js running
// hipkiLocalServer.js (DOMAIN.md), so its answers are framed by Node's own http module,
// as here. Only the framing is real; the body is a real-format answer from a file.
//
// node hipki_node.js BODY_FILE STYLE   (prints the port it listens on, 127.0.0.1 only)
//   end      res.end(body): Node adds Content-Length
//   pieces   res.write() in 1000-byte pieces, then res.end(): no length, ends at the close
//   chunked  Transfer-Encoding: chunked set by the application, whatever the request
"use strict";
const http = require("http");
const fs = require("fs");

const [bodyFile, style] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile);

const server = http.createServer((req, res) => {
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Access-Control-Allow-Origin", "*");
  if (style === "end") {
    res.end(body);
  } else if (style === "pieces") {
    let at = 0;
    const next = () => {
      if (at >= body.length) return res.end();
      res.write(body.subarray(at, at + 1000));
      at += 1000;
      setImmediate(next);
    };
    next();
  } else if (style === "chunked") {
    res.setHeader("Transfer-Encoding", "chunked");
    res.write(body.subarray(0, 10));
    res.end(body.subarray(10));
  } else {
    res.statusCode = 500;
    res.end("unknown style");
  }
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
