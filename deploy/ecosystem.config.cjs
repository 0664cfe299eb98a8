// pm2 alternative to the systemd units (docs/huong-dan-van-hanh.md, "pm2"). systemd is preferred on Debian:
// it reads the secrets file as root and restarts the service without another daemon.
//
//   npm install -g pm2
//   cd /opt/ocop-bot && pm2 start deploy/ecosystem.config.cjs
//   pm2 save && pm2 startup systemd -u ocop --hp /home/ocop   # start again at boot
//   pm2 logs ocop-bot        pm2 reload ocop-bot      pm2 status
//
// Settings: put them in /opt/ocop-bot/.env (owner ocop, chmod 600): the app reads .env from its working
// directory itself, so nothing secret is written here. A variable set in `env` below wins over the same line
// in .env (Node's .env loading never overwrites the environment).
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const common = {
  cwd: root,
  script: 'bin/ocop-bot.mjs',
  interpreter: 'node',
  // One Node process per entry; the app handles concurrency itself. Not pm2's cluster mode: each process
  // needs its own PORT, and several processes need REDIS_URL.
  exec_mode: 'fork',
  autorestart: true,
  max_restarts: 10,
  restart_delay: 3000,
  // SIGTERM, then this long to finish in-flight work before SIGKILL.
  kill_timeout: 30000,
  // The app logs JSON lines itself (phone numbers and secrets masked); pm2 only stores them.
  time: false,
  env: {
    NODE_ENV: 'production',
    // The embedded database (used when REDIS_URL is not set), outside the checkout.
    DATA_DIR: '/var/lib/ocop-bot',
  },
};

module.exports = {
  apps: [
    {
      ...common,
      name: 'ocop-bot',
      args: 'serve',
    },
    // Announcement delivery and submission forwarding; needs REDIS_URL. Remove without Redis.
    {
      ...common,
      name: 'ocop-bot-worker',
      args: 'worker',
      instances: 2,
      kill_timeout: 90000,
    },
  ],
};
