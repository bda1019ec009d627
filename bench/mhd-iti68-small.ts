// ITI-68 Retrieve Document of one 2 KB document, small enough to live inline in its repository row.
import { runIti68Bench } from './mhd-iti68-load';
import { runBench } from './support';

runBench(() => runIti68Bench('mhd-iti68-small', 2048, '>= 2,000/s'));
