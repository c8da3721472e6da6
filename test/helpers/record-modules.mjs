// `node --import ./test/helpers/record-modules.mjs …`: appends the URL of every module the process
// imports, one a line, to the file named by RECORD_MODULES_TO. The lazy-loading tests read it to see
// what a command really loaded. Module hooks run on their own thread, hence the second file.
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_MODULES_TO } });
