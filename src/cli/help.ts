/**
 * Help texts. Kept apart from the commands so `render --help` and `render <cmd> --help` load
 * nothing heavy (no yaml, ajv, undici): start-up stays near a bare `node -e 0`.
 */

export const MAIN_HELP = `render: render storyboards and seed sweeps on hosted video-generation APIs

Usage:
  render [run] <manifest.yaml...> [flags]   render every shot to a verified MP4 (the default command)
  render validate <manifest.yaml...>        check manifests; print every problem as FILE:LINE:COL
  render plan <manifest.yaml...> [--json]   list the renders a run would make, with no network
  render report <out/name>                  rebuild index.html from a run's manifest.json
  render review <out/name> [--port N]       serve the contact sheet to pick one take per shot
  render export <out/name> --format otio|edl
                                            the storyboard as a timeline for an editor
  render cancel <out/name> [--only GLOB]    cancel a run's jobs still queued or running (Krea)
  render merge --into <out/name> <folder...>
                                            join the folders of shards (--shard I/N) into one
  render emulate [--port N] [--state DIR]   run the local emulator of the three provider APIs

A <manifest.yaml> may also be a folder (its *.yaml and *.yml files) or a quoted glob
('jobs/**/*.yaml'), for run, validate and plan.

Global flags:
  -h, --help       show help (also: render <command> --help)
  -v, --version    print the version

Providers and keys (environment, or a .env file in the working folder):
  aimlapi  AIMLAPI_API_KEY   (AIMLAPI_BASE_URL)
  krea     KREA_API_TOKEN    (KREA_BASE_URL)
  novita   NOVITA_API_KEY    (NOVITA_BASE_URL)
  HTTPS_PROXY / NO_PROXY are honoured.

Try it with no keys:  npx render --emulate jobs/storyboard.yaml
In the project's folder run render as \`npx render …\`; \`npm link\` there once puts \`render\`
on your PATH for any folder.

Exit codes: 0 all rendered, 1 some render failed, 2 bad input or usage (nothing submitted),
130 interrupted (rerun to resume).
`;

export const COMMAND_HELP: Record<string, string> = {
  run: `Usage: render [run] <manifest.yaml...> [flags]

Renders every render of the plan to a verified MP4 under <out>/<name>/, with manifest.json
(seeds, requests, metadata) and index.html. Several manifests run together on one schedule,
each in its own folder. Safe to stop and rerun: submitted jobs are resumed, finished renders
are skipped.

Flags:
  --concurrency N       renders in flight at once, all providers and manifests together
                        (default: each manifest's concurrency for its renders, else 4)
  --poll-interval S     the base interval between status reads of a job, in seconds: the
                        cadence near a job's expected finish (default: each provider's
                        documented interval, AI/ML API 10, Krea 5, Novita 5; 0.5 with --emulate).
                        Reads far from the expected finish may be sparser: render learns each
                        model's time to completion in <out>/.render/timings.json (safe to delete)
  --timeout S           stop waiting for a render after S seconds (default 3600); its job is
                        kept and the next run polls it again
  --out DIR             output folder (default: output)
  --only GLOB           only renders whose id matches GLOB (* and ?); repeatable
  --max-video-size SIZE refuse videos larger than SIZE, e.g. 500MB, 8GiB (default 4GiB)
  --shard I/N           only the I-th of N stable shares of the renders (1 <= I <= N)
  --force               render even what is already done; resubmit indeterminate submits
  --reseed              draw new seeds instead of reusing the previous run's
  --budget P=AMOUNT     spend at most AMOUNT on new submits at provider P, in its unit:
                        aimlapi=CREDITS, krea=COMPUTE_UNITS (overrides providers.P.budget;
                        repeatable; not for novita, which documents no price)
  --emulate             run against an in-process emulator (no keys, no network); its
                        jobs are kept in <out>/.emulator/ so a stopped run resumes them
  --json                one JSON event per line on stdout
  --no-progress         no progress bar
  -h, --help            show this help

One run per output folder: a second run on the same <out>/<name> exits 2 at once, naming the
process that holds <out>/<name>/.render/lock. A lock left by a process that is gone (same host)
is taken over.

Budgets: a run whose known price (see render plan --help) is over a budget submits nothing and
exits 2. During a run, submits stop before the one that would pass a budget (credits reported by
the AI/ML API; Kling's documented price, failed and cancelled Krea jobs free); the rest stay
pending for the next run and the run exits 1. The summary says what was spent.

Exit codes: 0 every render succeeded or was already done, 1 some failed or timed out, or
submits stopped at a budget, 2 bad input or usage, over budget, or the output folder in use
(nothing submitted), 130 interrupted.
`,
  validate: `Usage: render validate <manifest.yaml...>

Checks manifests against the schema and render's rules, prints an OK line per valid file and
every problem of the others as FILE:LINE:COL: message. Nothing is sent anywhere. A manifest
argument may be a folder (its *.yaml and *.yml files) or a quoted glob ('jobs/**/*.yaml').

Flags:
  -h, --help            show this help

Exit codes: 0 valid, 2 problems found.
`,
  plan: `Usage: render plan <manifest.yaml...> [flags]

Prints one row per render (id, provider, model, seed, the params that vary) and totals per
provider and model, with no network. Once <out> holds a run of the manifest, a STATE column
says what \`render run\` would do with each render (the same check the run makes: request hash,
journal, file size and sha256):
  done            skipped: rendered with this exact request and the file is intact
  in flight       resumed: its job is at the provider (or its file went missing); not resubmitted
  indeterminate   not submitted: the submit's answer was lost, so the job may exist; --force
  failed          submitted again (it failed, timed out or was cancelled last time)
  new             submitted (never run, or the request changed)

A PRICE column gives each render's price in its provider's unit, and the totals what the
renders a run would submit cost per provider, and where each figure comes from:
  documented      Krea's Kling 2.5: 200 compute units for 5 s, 401 for 10 s
  learned         AI/ML API credits recorded by earlier runs under <out> (same model and params;
                  ~ marks a price known for the model only)
  unknown         never guessed (Novita documents no price)

Flags:
  --json                print the plan as JSON (each render's price; totals.cost per provider)
  --out DIR             output folder to compare against and learn prices from (default: output)
  --budget P=AMOUNT     check the cost against a budget (overrides providers.P.budget);
                        over it, exit 2; repeatable
  --only GLOB           only renders whose id matches GLOB; repeatable
  --shard I/N           only the I-th of N stable shares of the renders
  -h, --help            show this help

Exit codes: 0 planned, 2 problems found or over a budget.
`,
  report: `Usage: render report <out/name>

Rebuilds <out/name>/index.html, the contact sheet of a run, from its manifest.json alone, and
prints its path. A run rewrites the page itself every time it updates manifest.json. The page
opens from disk (file://) with no server and no network: one section per shot, one video per
render with its seed, sweep values, size, duration and status.

Flags:
  -h, --help            show this help

Exit codes: 0 written, 2 no folder or no readable, valid manifest.json there, or index.html
could not be written.
`,
  review: `Usage: render review <out/name> [--port N]

Serves the contact sheet of a run on 127.0.0.1 (a free port unless --port) under a random
token in the URL, and prints the URL. Nothing else is served: the page, the run's videos, and
the endpoint that saves picks. Keys: arrows move between takes, Space plays, Enter opens the
take large (with its prompt, params, file and earlier takes), P picks the focused take for its
shot. Picks are saved atomically to <out/name>/picks.json, by render id and request hash, and
shown on index.html too; render export uses them. Stop with Ctrl-C.

Flags:
  --port N              port to listen on (default: a free one)
  -h, --help            show this help

Exit codes: 0 stopped, 2 no run in that folder or the port is taken.
`,
  export: `Usage: render export <out/name> --format otio|edl [--out FILE]

Writes the storyboard of a run as a timeline for an editor: one clip per shot in manifest
order, the picked take (picks.json, from render review) or else the first succeeded take of the
shot; a shot with no succeeded take is a gap with a note. Durations come from the probe; media
paths are relative to the export file.
  otio   OpenTimelineIO JSON (Timeline, Stack, Track, Clip with an external media reference);
         opens in DaVinci Resolve and the OTIO tools
  edl    CMX 3600, non-drop frame, one event per shot (clip names in comments; gaps are black)

Flags:
  --format otio|edl     the timeline format (required)
  --out FILE            where to write it (default: <out/name>/<name>.otio or .edl)
  -h, --help            show this help

Exit codes: 0 written, 2 no run there, a bad flag, or the file could not be written.
`,
  cancel: `Usage: render cancel <out/name> [--only GLOB]

Cancels the jobs of a run folder that are still queued or running at the provider (journal:
submitted, started, or timed out with a job id), for the providers that can cancel one: Krea.
AI/ML API and Novita jobs are listed with their job id, to stop on the provider's dashboard.
Each cancelled render is recorded in the journal and manifest.json as cancelled; the next run
submits it again. Prints one line per job and a total. Reads KREA_API_TOKEN and
KREA_BASE_URL like a run (environment or .env). A run going on in the folder must be stopped
first: cancel takes the folder's run lock and exits 2 while a run holds it.

Flags:
  --only GLOB           only renders whose id matches GLOB (* and ?); repeatable
  -h, --help            show this help

Exit codes: 0 every live job asked for was cancelled (or none was live), 1 some job is still
live (its cancel failed, or its provider cannot cancel), 2 bad usage, no run there, a missing
key, or the folder is in use by a run.
`,
  merge: `Usage: render merge --into <out/name> <folder>...

Joins the output folders of runs of one manifest, typically the shards of
\`render run --shard I/N\` made on N machines, into one folder, as if one run had made it:
manifest.json (one record per render, in manifest order), the videos and the take store
(hard links on the same file system, else copies; every file checked against its record's
size and sha256), the journal (jobs still in flight in a folder are resumed from the merged
one, never submitted again) and a fresh index.html. A run already in <out/name> is merged too.

Everything is checked before anything is written; these are refused, each named, and nothing
is written: one render id with different requests, job ids or videos in two folders,
manifests of different names, a file in <out/name> with other bytes. A render only pending
in a folder (never submitted there) yields to one that has work. Nothing in the folders
merged, and no video or take in <out/name>, is replaced or deleted. Takes the run lock of
<out/name>. A video missing or damaged in its folder is left out with a warning: the next run
of the merged folder downloads it again from its job.

Flags:
  --into DIR            the merged folder, <out>/<manifest name> (created when missing)
  -h, --help            show this help

Exit codes: 0 merged, 1 merged but some video was missing or damaged (the next run fetches
it again), 2 bad usage, a folder without a run, conflicting folders, or <out/name> in use
(nothing written), or a write into <out/name> failed (run the same command again).
`,
  emulate: `Usage: render emulate [--port N] [--job-seconds S] [--state DIR]

Runs the local emulator of the AI/ML API, Krea and Novita APIs on 127.0.0.1 in the foreground
and prints the environment to export to point render (or any client) at it. Any non-empty key
is accepted. Each job goes queued, then running, then done over --job-seconds, and its video
is a real H.264 MP4 of the model's documented size, served by the emulator itself. One line per
request is logged to stderr. Stop it with Ctrl-C (exit 0). Jobs live in memory unless --state
keeps them in DIR/jobs.jsonl, where an emulator started later on DIR finds them again.

Flags:
  --port N              port to listen on (default: a free one)
  --job-seconds S       how long each job takes (default 3)
  --state DIR           keep jobs in DIR, so they outlive the emulator (default: in memory)
  -h, --help            show this help
`,
};
