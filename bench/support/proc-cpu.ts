import { readFile } from 'node:fs/promises';

/** CPU (ms) a process has used so far: utime + stime from /proc/<pid>/stat (Linux; 10 ms clock ticks), or null. */
export async function procCpuMs(pid: number): Promise<number | null> {
  try {
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return (Number(stat[11]) + Number(stat[12])) * 10;
  } catch {
    return null;
  }
}
