import Foundation

/// Shows a build's progress on stderr: a bar with bytes read, records per second and the time
/// left on a terminal; otherwise a plain line per tenth of each large input.
enum ProgressDisplay {
    static func make() -> @Sendable (String, Int64, Int64, Int) -> Void {
        let state = State(terminal: isatty(STDERR_FILENO) == 1)
        return { source, read, total, records in state.update(source, read, total, records) }
    }

    final class State: @unchecked Sendable {
        let terminal: Bool
        let lock = NSLock()
        var source = ""
        var started = Date()
        var lastTenth = -1

        init(terminal: Bool) {
            self.terminal = terminal
        }

        func update(_ id: String, _ read: Int64, _ total: Int64, _ records: Int) {
            lock.lock()
            defer { lock.unlock() }
            if id != source {
                if terminal && !source.isEmpty { write("\n") }
                source = id
                started = Date()
                lastTenth = -1
            }
            let elapsed = max(Date().timeIntervalSince(started), 0.001)
            let share = total > 0 ? min(Double(read) / Double(total), 1) : 0
            let rate = Double(records) / elapsed
            let eta = share > 0 ? elapsed * (1 - share) / share : 0
            if terminal {
                let width = 30
                let filled = Int(share * Double(width))
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                write(
                    String(
                        format: "\r%@ [%@] %3.0f %% %@ records/s, %@ left ", id, bar, share * 100,
                        Int(rate).formatted(), format(seconds: eta)))
            } else {
                guard total >= 16 << 20 else { return }  // small sources finish before a line would help
                let tenth = Int(share * 10)
                guard tenth > lastTenth else { return }
                lastTenth = tenth
                write(String(format: "%@: %3.0f %% read, %d records, %.0f records/s\n", id, share * 100, records, rate))
            }
        }

        func format(seconds: Double) -> String {
            seconds < 60
                ? String(format: "%.0f s", seconds) : String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
        }

        func write(_ s: String) {
            FileHandle.standardError.write(Data(s.utf8))
        }
    }
}
