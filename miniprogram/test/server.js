// The real server the phones talk to: `flask seed-demo` then gunicorn on loopback, development settings, a fresh
// SQLite file in a temp dir, or a fresh database on the PostgreSQL server DATABASE_URL names.
const {execFileSync, spawn} = require('child_process')
const fs = require('fs')
const net = require('net')
const os = require('os')
const path = require('path')
const http = require('http')
const config = require('../config.js')

const REPO = path.join(__dirname, '..', '..')
const BIN = path.join(REPO, '.venv', 'bin')
const STATE = path.join(os.tmpdir(), `gongji-mini-${process.pid}.json`)
const SECRET = 'mini-program-test-secret'

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const {port} = s.address(); s.close(() => resolve(port)) })
})

const ready = (base) => new Promise((resolve) => {
  http.get(base + '/readyz', (res) => { res.resume(); resolve(res.statusCode === 200) }).on('error', () => resolve(false))
})

// A new PostgreSQL database beside the one DATABASE_URL names (dropped at teardown).
function postgres(url, name, verb) {
  const py = `import sys, sqlalchemy as sa\nu = sa.engine.make_url(sys.argv[1])\n` +
    `e = sa.create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")\n` +
    `with e.connect() as c: c.exec_driver_sql(sys.argv[3] + ' DATABASE ' + ("IF EXISTS " if sys.argv[3] == "DROP" else "") + sys.argv[2] + (" WITH (FORCE)" if sys.argv[3] == "DROP" else ""))\n` +
    `print(u.set(database=sys.argv[2]).render_as_string(hide_password=False))`
  return execFileSync(path.join(BIN, 'python'), ['-c', py, url, name, verb], {encoding: 'utf8'}).trim()
}

async function start() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongji-mini-'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const pgName = process.env.DATABASE_URL ? `mini_${process.pid}` : null
  const databaseUrl = pgName ? postgres(process.env.DATABASE_URL, pgName, 'CREATE') : `sqlite:///${dir}/mini.sqlite3`
  const templates = Object.entries(config.templates).map(([kind, id]) => `${kind}=${id}`).join(',')
  const env = Object.assign({}, process.env, {
    GONGJI_ENV: 'development', SECRET_KEY: SECRET, DATABASE_URL: databaseUrl, PUBLIC_BASE_URL: base,
    IDENTITY_PROVIDER: 'dev', RATELIMIT_ENABLED: 'false', WECHAT_TEMPLATE_IDS: templates, NOTIFY_ENABLED: 'false',
    PROMETHEUS_MULTIPROC_DIR: path.join(dir, 'metrics'), WEB_CONCURRENCY: '2', PYTHONPATH: REPO,
  })
  fs.mkdirSync(env.PROMETHEUS_MULTIPROC_DIR)
  execFileSync(path.join(BIN, 'flask'), ['--app', 'app', 'seed-demo'], {cwd: REPO, env, stdio: 'ignore'})
  const log = fs.openSync(path.join(dir, 'gunicorn.log'), 'a')
  const proc = spawn(path.join(BIN, 'gunicorn'), ['-c', 'gunicorn.conf.py', '--bind', `127.0.0.1:${port}`],
    {cwd: REPO, env, stdio: ['ignore', log, log], detached: true})
  proc.unref()
  fs.closeSync(log)
  for (let i = 0; i < 150 && !(await ready(base)); i++) await new Promise((r) => setTimeout(r, 200))
  if (!(await ready(base))) throw new Error(`gunicorn did not start: ${path.join(dir, 'gunicorn.log')}`)
  fs.writeFileSync(STATE, JSON.stringify({base, pid: proc.pid, dir, pgName, secret: SECRET, databaseUrl}))
  process.env.GONGJI_MINI_STATE = STATE
}

function stop() {
  const state = JSON.parse(fs.readFileSync(STATE, 'utf8'))
  try { process.kill(-state.pid, 'SIGTERM') } catch (e) { /* already gone */ }
  if (state.pgName) {
    for (let i = 0; i < 60; i++) {   // a server restarting (another suite's fault test) is waited for
      try { postgres(process.env.DATABASE_URL, state.pgName, 'DROP'); break } catch (e) { execFileSync('sleep', ['1']) }
    }
  }
  fs.rmSync(state.dir, {recursive: true, force: true})
  fs.rmSync(STATE, {force: true})
}

const state = () => JSON.parse(fs.readFileSync(process.env.GONGJI_MINI_STATE, 'utf8'))

// An administrator's command (`flask --app app …`) on the test server's database.
const flask = (...args) => execFileSync(path.join(BIN, 'flask'), ['--app', 'app', ...args], {cwd: REPO, encoding: 'utf8',
  env: Object.assign({}, process.env, {GONGJI_ENV: 'development', SECRET_KEY: SECRET, DATABASE_URL: state().databaseUrl})})

module.exports = {start, stop, state, flask, REPO, BIN}
