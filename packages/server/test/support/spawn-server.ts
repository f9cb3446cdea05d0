import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const mainJs = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Builds the server's dist (incremental, so cheap when it is up to date) for tests that spawn it. */
export const buildServer = (): void => {
  execFileSync('npx', ['tsc', '-b', 'packages/server'], { cwd: repoRoot, stdio: 'inherit' });
};

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** What the process wrote up to its "listening on" line (start-time log lines included), and stderr since. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node packages/server/dist/main.js` as a child process and waits for its "listening on" line. */
export const spawnServer = (env: Record<string, string>): Promise<ServerProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainJs], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SHL_DEMO: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        child.stdout?.off('data', onData);
        const url = match[1];
        resolve({
          url,
          child,
          output: () => output,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}:\n${output}`)));
  });
