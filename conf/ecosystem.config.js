// The same apps as conf/ecosystem.json, as a pm2 user writes them: jpm runs this file with node,
// unchanged (bin/jpm start conf/ecosystem.config.js --env production).
module.exports = {
  apps: [
    { name: 'ticker', script: 'apps/ticker.sh', instances: 2, kill_timeout: 3000 },
    {
      name: 'web',
      script: 'apps/web.py',
      instances: 2,
      port: Number(process.env.WEB_PORT || 8765), // with instances (or balance): the public port of jpm's balancer; alone, pm2's PORT
      balance: 'http',
      env: { GREETING: 'hello' },
      env_production: { GREETING: 'hello from production' },
      max_restarts: 10,
      min_uptime: '2s',
      exp_backoff_restart_delay: 100,
      max_memory_restart: '200M',
    },
    // a Node app in cluster mode: its instances share the socket of their own listen(8766)
    { name: 'api', script: 'apps/api.js', instances: 2 },
    { name: 'clock', script: 'apps/Clock.java', args: ['tick-tock'], kill_signal: 'SIGTERM' },
  ],
};
