import { parentPort } from 'node:worker_threads';
import { runTask, type TaskRequest } from './tasks.js';

// The entry of each pool thread: one request at a time, answered on the same port.
parentPort?.on('message', (request: TaskRequest) => {
  void runTask(request).then((reply) => parentPort?.postMessage(reply));
});
