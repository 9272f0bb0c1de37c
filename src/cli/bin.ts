/** The process entry of the `her2bot` command: bin/her2bot.js runs its compiled form, `npm run dev` this file. */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
