// Express's hello world: the ceiling the landing page is compared with in the same run.
import express from 'express';

const app = express();
app.get('/', (_req, res) => res.send('Hello World!'));
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => { server.close(); process.exit(0); });
