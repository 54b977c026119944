/**
 * Several hosts on one machine: Linux network namespaces on a bridge (iproute2), each with its
 * own loopback, address and ports, so processes in different hosts reach each other only over
 * the bridge, as separate machines would. Needs root (CI runs as root).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args);

export interface Host {
  name: string;
  address: string;
  /** Starts `command` in this host (its network namespace), with `env` only (plus PATH). */
  spawn(command: string, args: string[], env: Record<string, string>): ChildProcess;
}

export interface ClusterNetwork {
  /** The bridge's address: the machine itself, as the hosts see it. */
  gateway: string;
  hosts: Record<string, Host>;
  close(): Promise<void>;
}

/** Whether this process may make namespaces (root, with iproute2). */
export async function canMakeNamespaces(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  return run('ip', ['netns', 'list']).then(
    () => true,
    () => false,
  );
}

/**
 * The first `10.<n>.0.0/24` from `from` on that no interface of this machine has an address in: a
 * run killed before its clean-up leaves its bridge up, and a second bridge on the same subnet
 * would take the first one's routes (the hosts could not reach the gateway).
 */
async function freeSubnet(from: number): Promise<number> {
  const { stdout } = await ip('-o', '-4', 'addr', 'show');
  for (let n = from; n < 256; n += 1) if (!stdout.includes(` 10.${n}.0.`)) return n;
  throw new Error(`no free 10.x.0.0/24 subnet from 10.${from} on: ${stdout}`);
}

/**
 * A bridge `10.<subnet>.0.1/24` (the first free subnet from 10.77) and one namespace per name,
 * addresses .2, .3, … in the order given. Names are prefixed with a tag of this process so
 * concurrent runs do not meet.
 */
export async function makeClusterNetwork(
  names: readonly string[],
  firstSubnet = 77,
): Promise<ClusterNetwork> {
  const subnet = await freeSubnet(firstSubnet);
  const tag = `r${process.pid % 10_000}`;
  const bridge = `${tag}br`;
  const gateway = `10.${subnet}.0.1`;
  const made: string[] = [];
  const close = async () => {
    for (const ns of made) await ip('netns', 'del', ns).catch(() => {});
    await ip('link', 'del', bridge).catch(() => {});
  };
  try {
    await ip('link', 'add', bridge, 'type', 'bridge');
    await ip('addr', 'add', `${gateway}/24`, 'dev', bridge);
    await ip('link', 'set', bridge, 'up');
    const hosts: Record<string, Host> = {};
    for (const [index, name] of names.entries()) {
      const ns = `${tag}-${name}`;
      const veth = `${tag}v${index}`;
      const address = `10.${subnet}.0.${index + 2}`;
      await ip('netns', 'add', ns);
      made.push(ns);
      await ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('link', 'set', veth, 'master', bridge);
      await ip('link', 'set', veth, 'up');
      await ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      hosts[name] = {
        name,
        address,
        spawn: (command, args, env) =>
          spawn('ip', ['netns', 'exec', ns, command, ...args], {
            env: { PATH: process.env['PATH'] ?? '', ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
      };
    }
    return { gateway, hosts, close };
  } catch (error) {
    await close();
    throw error;
  }
}
