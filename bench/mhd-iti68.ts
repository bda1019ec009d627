// ITI-68 Retrieve Document of one 1 MB document (a blob file); BENCH_DOC_BYTES changes the size.
// Issue 15's target: 1.8x the rate of the code at issue time (alternating A/B runs).
import { runIti68Bench } from './mhd-iti68-load';
import { runBench } from './support';

runBench(() => runIti68Bench('mhd-iti68', Number(process.env.BENCH_DOC_BYTES ?? 1_048_576), '>= 1.8x the issue-time code (A/B)'));
