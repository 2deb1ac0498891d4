// The Slack client's own logging, reduced to warnings and errors and passed through our log (which
// scrubs the token): its info lines would otherwise go to the console of a Functions host.
import { LogLevel, type Logger } from "@slack/web-api";

export function quietLogger(log: (message: string) => void): Logger {
  let level = LogLevel.WARN;
  const say = (prefix: string) => (...parts: unknown[]) => log(`slack client ${prefix}: ${parts.map(String).join(" ")}`);
  return {
    debug: () => {},
    info: () => {},
    warn: say("warning"),
    error: say("error"),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
