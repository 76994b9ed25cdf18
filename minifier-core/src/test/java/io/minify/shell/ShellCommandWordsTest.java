package io.minify.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellCommandWordsTest {

  private static List<String> words(String script) {
    return ShellCommandWords.of(script);
  }

  @Test
  void readinessLoopsNameEveryProgramTheyMayRun() {
    assertEquals(List.of("pg_isready", "sleep"), words("until pg_isready; do sleep 1; done"));
    assertEquals(List.of("redis-cli", "sleep"), words("until redis-cli ping; do sleep 1; done"));
    assertEquals(List.of("nc", "sleep"), words("while ! nc -z localhost 6379 >/dev/null 2>&1; do sleep 0.5; done"));
    assertEquals(List.of("curl", "echo", "exit"),
        words("if curl -fs localhost:8080/health; then echo up; else echo down; exit 1; fi"));
  }

  @Test
  void everySeparatorStartsACommand() {
    assertEquals(List.of("a", "b", "c", "d", "e", "f", "g"), words("a; b && c || d | e & f\ng"));
    assertEquals(List.of("a", "b"), words("a |& b"));
    assertEquals(List.of("cd", "./run.sh", "wc"), words("(cd /app && ./run.sh) | wc -l"));
    assertEquals(List.of("echo", "cat"), words("{ echo a; cat /etc/hostname; } > /tmp/out"));
  }

  @Test
  void assignmentsAndRedirectionsBeforeTheCommandWordAreSkipped() {
    assertEquals(List.of("psql"), words("PGPASSWORD=secret PGUSER=app psql -c 'select 1'"));
    assertEquals(List.of("psql"), words("PGPASSWORD=\"a b\" psql"));
    assertEquals(List.of("prog"), words("2>/dev/null >out <in prog arg"));
    assertEquals(List.of("sleep"), words("sleep 2>/dev/null"));
    assertEquals(List.of("printf"), words("A=1 B=$(printf x)"), "a substitution in an assignment runs");
    assertEquals(List.of("a=b"), words("'a=b'"), "a quoted name is no assignment");
  }

  @Test
  void commandSubstitutionsAndBackticksAreCommandsToo() {
    assertEquals(List.of("test", "curl"), words("test \"$(curl -s localhost/health)\" = ok"));
    assertEquals(List.of("echo", "hostname", "date"), words("echo `hostname` \"`date +%s`\""));
    assertEquals(List.of("kill", "cat"), words("kill -0 $(cat /run/app.pid)"));
    assertEquals(List.of("echo", "id", "whoami"), words("echo $(id -u $(whoami))"));
    assertEquals(List.of("echo"), words("echo $((1 + 2)) ${HOME:-/root} $? $1"));
    assertEquals(List.of("a", "b"), words("x=$(case $1 in y) a ;; *) b ;; esac)"));
  }

  @Test
  void keywordsAndTheirNonCommandWordsAreSkipped() {
    assertEquals(List.of("echo"), words("for i in 1 2 3; do echo $i; done"));
    assertEquals(List.of("redis-cli"), words("for k in a b\ndo redis-cli get $k\ndone"));
    assertEquals(List.of("start-app", "stop-app", "usage"),
        words("case \"$1\" in\n  start) start-app ;;\n  stop|halt) stop-app ;;\n  *) usage\nesac"));
    assertEquals(List.of("echo"), words("echo if then fi do done"), "reserved words only count in command position");
    assertEquals(List.of("if"), words("'if'"), "a quoted reserved word is a command name");
    assertEquals(List.of("true"), words("! true"));
  }

  @Test
  void functionsAreNotPrograms() {
    assertEquals(List.of("sleep"), words("wait_up() { sleep 1; }; wait_up; wait_up"));
    assertEquals(List.of("curl"), words("function probe { curl -s x; }\nprobe"));
    assertEquals(List.of("curl"), words("function probe() { curl -s x; }; probe"));
  }

  @Test
  void wordsKnownOnlyAtRunTimeAreLeftOut() {
    assertEquals(List.of(), words("$CMD --flag"));
    assertEquals(List.of(), words("\"$APP_HOME/bin/app\" start"));
    assertEquals(List.of(), words("~/bin/tool"));
    assertEquals(List.of(), words("/usr/bin/*sh -c true"));
  }

  @Test
  void quotingAndEscapesAreRemovedFromTheName() {
    assertEquals(List.of("redis-cli"), words("\"redis-cli\" ping"));
    assertEquals(List.of("redis-cli"), words("'redis'-cli ping"));
    assertEquals(List.of("redis-cli"), words("redis\\-cli ping"));
    assertEquals(List.of("a", "b"), words("a \\\n --long; b"));
    assertEquals(List.of("echo"), words("echo 'a; b' \"c && d\" e\\;f"));
  }

  @Test
  void commentsAndHereDocumentBodiesAreNotCommands() {
    assertEquals(List.of("sleep"), words("sleep 1 # then: rm -rf /"));
    assertEquals(List.of("cat", "grep"), words("cat <<EOF | grep -q x\nrm -rf /\nx\nEOF\ngrep y /etc/hosts"));
    assertEquals(List.of("psql", "true"), words("psql <<-'SQL'\n\tdrop table t;\n\tSQL\ntrue"));
    assertEquals(List.of("echo"), words("echo a#b"));
  }

  @Test
  void wrappersAreSeenThroughToTheProgramTheyRun() {
    assertEquals(List.of("exec", "redis-server"), words("exec redis-server --port 6380"));
    assertEquals(List.of("timeout", "redis-cli"), words("timeout -s KILL 5 redis-cli ping"));
    assertEquals(List.of("env", "app"), words("env -i PATH=/bin -u HOME app --x"));
    assertEquals(List.of("nice", "nohup", "worker"), words("nice -n 10 nohup worker &"));
    assertEquals(List.of("command"), words("command -v redis-cli"), "command -v runs nothing");
    assertEquals(List.of("command", "ls"), words("command ls /"));
    assertEquals(List.of("sh", "pg_isready", "sleep"), words("sh -c 'until pg_isready; do sleep 1; done'"));
    assertEquals(List.of("bash", "curl"), words("bash -lc \"curl -s x\""));
    assertEquals(List.of("sh"), words("sh /app/check.sh"), "a script file is not a program name");
  }

  @Test
  void argumentVectorsRunTheirFirstWordAndWhatWrappersRun() {
    assertEquals(List.of("redis-cli"), ShellCommandWords.ofArgv(List.of("redis-cli", "ping")));
    assertEquals(List.of("/bin/sh", "pg_isready", "sleep"),
        ShellCommandWords.ofArgv(List.of("/bin/sh", "-c", "until pg_isready; do sleep 1; done")));
    assertEquals(List.of("timeout", "/usr/bin/redis-cli"),
        ShellCommandWords.ofArgv(List.of("timeout", "10", "/usr/bin/redis-cli", "ping")));
    assertEquals(List.of("A=1"), ShellCommandWords.ofArgv(List.of("A=1", "x")), "no shell: argv[0] as given");
  }

  @Test
  void malformedInputEndsWithoutError() {
    assertEquals(List.of("echo"), words("echo 'unterminated"));
    assertEquals(List.of("echo", "date"), words("echo \"unterminated $(date"));
    assertEquals(List.of("a"), words("a )))) ;;;; &&"));
    assertEquals(List.of(), words(""));
    assertEquals(List.of(), words("$(".repeat(200) + "x"), "nesting that deep is not read, and does not overflow");
    assertEquals(List.of("x"), words("$(".repeat(20) + "x"));
  }
}
