import { processIo } from './cli/io.js';
import { runCli } from './cli/program.js';

// The `sweetspot` command line (bin/sweetspot.js runs this file). It calls the same services as the web.
process.exitCode = await runCli(process.argv.slice(2), processIo);
