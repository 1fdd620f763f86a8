// Child process of the benchmark: the "ceiling", a bare Fastify route answering a precomputed
// page from memory (the same bytes as the plan page), to compare the real server against.
import { readFileSync } from "node:fs";
import Fastify from "fastify";

const [file, port] = [process.argv[2], Number(process.argv[3])];
const body = readFileSync(file, "utf8");
const app = Fastify({ logger: false });
app.get("/ceiling", (_req, reply) => reply.type("text/html; charset=utf-8").send(body));
await app.listen({ port, host: "127.0.0.1" });
console.log("ready");
const stop = () => void app.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
