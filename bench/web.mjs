// `npm run bench:web`: wrk against GET / (landing) and POST /subscribe (signup: validation, two
// Redis rate-limit counters, the subscriber row, the queued confirmation) on a running server with
// the real PostgreSQL and Redis, and against Express's hello world in the same run as the ceiling.
// Each scenario runs RUNS times (default 3, DURATION seconds each); medians are reported.
//
// Rate limits: a benchmark sends everything from one IP, so it sets RATE_LIMIT_SIGNUP_IP explicitly
// (and documents it) instead of weakening the defaults: see docs/web.md, "Benchmark".
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ensureDatabase, migrate, dropDatabase } from '../dist/db/migrate.js';
import { projectRoot } from '../dist/paths.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PG = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

function ensureWrk() {
  if (spawnSync('wrk', ['--version']).error) {
    console.error('wrk is missing: installing the Debian package');
    execFileSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
}

function start(script, env) {
  const child = spawn(process.execPath, [path.join(projectRoot, 'bench', script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** wrk's latency distribution (--latency) → numbers in ms. */
function parseWrk(text) {
  const unit = (v, u) => Number(v) * ({ us: 0.001, ms: 1, s: 1000, m: 60000 }[u]);
  const pct = (p) => { const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)`, 'm').exec(text); return m ? unit(m[1], m[2]) : NaN; };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const errors = /Socket errors: (.*)/.exec(text)?.[1] ?? '';
  return { rps, p50: pct(50), p99: pct(99), non2xx, errors };
}

function wrk(url, script) {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${DURATION}s`, '--latency', ...(script ? ['-s', script] : []), url];
  return parseWrk(execFileSync('wrk', args, { encoding: 'utf8' }));
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function main() {
  ensureWrk();
  const dbName = `paperboy_bench_web_${process.pid}`;
  const dbUrl = `${PG}/${dbName}`;
  const prefix = `pb-bench-web-${process.pid}`;
  await ensureDatabase(dbUrl);
  await migrate(dbUrl, path.join(projectRoot, 'prisma/migrations'));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'pb-bench-'));
  const env = {
    DATABASE_URL: dbUrl, REDIS_URL, QUEUE_PREFIX: prefix, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'production',
    SECRET_KEY: 'bench-secret-key-bench-secret-key-0123456789', PUBLIC_BASE_URL: 'http://127.0.0.1',
    // One load generator = one IP: the per-IP signup limit is set for the benchmark, not loosened by default.
    RATE_LIMIT_SIGNUP_IP: '9999999/1m', DATABASE_POOL_SIZE: '10',
  };
  const hello = await start('hello-server.mjs', {});
  const web = await start('web-server.mjs', env);
  try {
    // A browser session: the CSRF cookie and the form's field, reused by every signup request.
    const landing = await fetch(`${web.url}/`);
    const cookie = landing.headers.get('set-cookie').split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await landing.text())[1];
    const lua = path.join(tmp, 'signup.lua');
    writeFileSync(lua, `
      local n = 0
      tid = 0
      setup = function(thread) tid = tid + 1; thread:set("tid", tid) end
      request = function()
        n = n + 1
        local body = "_csrf=${csrf}&consent=yes&topics=symbolic+regression%0D%0Areward+models&frequency=daily&deliveryHour=7&timeZone=Europe%2FParis&maxPapers=20&email=bench-" .. tid .. "-" .. n .. "-" .. math.random(1, 1000000000) .. "%40example.org"
        return wrk.format("POST", "/subscribe", { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "${cookie}" }, body)
      end
      done = function() end
    `);
    // Check the signup request really succeeds before timing it.
    const probe = await fetch(`${web.url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: `_csrf=${csrf}&consent=yes&topics=x&email=probe%40example.org` });
    if (probe.status !== 200) throw new Error(`signup probe answered ${probe.status}`);
    const landingCookie = path.join(tmp, 'landing.lua');
    writeFileSync(landingCookie, `wrk.headers["Cookie"] = "${cookie}"`); // a returning browser: no new cookie to mint

    const results = { hello: [], landing: [], signup: [] };
    wrk(`${hello.url}/`); wrk(`${web.url}/`); // warm-up
    for (let i = 0; i < RUNS; i++) {
      results.hello.push(wrk(`${hello.url}/`));
      results.landing.push(wrk(`${web.url}/`, landingCookie));
      results.signup.push(wrk(`${web.url}/subscribe`, lua));
    }
    const row = (name, rs) => {
      const m = { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) };
      const bad = rs.reduce((a, r) => a + r.non2xx, 0);
      console.log(`${name.padEnd(26)} ${m.rps.toFixed(0).padStart(8)} req/s   p50 ${m.p50.toFixed(2).padStart(7)} ms   p99 ${m.p99.toFixed(2).padStart(7)} ms   non-2xx ${bad}${rs.some((r) => r.errors) ? `   socket errors: ${rs.map((r) => r.errors).join(' | ')}` : ''}`);
      return m;
    };
    console.log(`wrk: ${CONNECTIONS} connections, ${DURATION} s per run, median of ${RUNS} runs (machine: ${os.cpus().length} cores, shared; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    const h = row('express hello world', results.hello);
    const l = row('GET / (landing)', results.landing);
    const s = row('POST /subscribe (signup)', results.signup);
    const rows = await (async () => {
      const { createPrisma } = await import('../dist/db/prisma.js');
      const prisma = createPrisma(dbUrl, 1);
      const count = await prisma.subscriber.count();
      await prisma.$disconnect();
      return count;
    })();
    console.log(`landing / hello world: ${(100 * l.rps / h.rps).toFixed(0)}% (target >= 50%)`);
    console.log(`signups: ${s.rps.toFixed(0)}/s (target >= 300/s), p99 ${s.p99.toFixed(1)} ms (target < 100 ms); ${rows} subscriber rows written, confirmations queued not sent`);
  } finally {
    await web.stop();
    await hello.stop();
    rmSync(tmp, { recursive: true, force: true });
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
    await dropDatabase(dbUrl);
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
