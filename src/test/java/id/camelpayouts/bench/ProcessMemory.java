package id.camelpayouts.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory (VmRSS) of a process, read from /proc/&lt;pid&gt;/status (Linux only). */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** VmRSS in MiB, or -1 when it cannot be read (not Linux, process gone). */
    static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0; // kB
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
        return -1;
    }

    static double selfRssMiB() {
        return rssMiB(ProcessHandle.current().pid());
    }
}
