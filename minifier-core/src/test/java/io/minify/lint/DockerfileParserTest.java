package io.minify.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Dockerfile syntax, one feature per test, and what the builder refuses (with its line). */
class DockerfileParserTest {
  private final DockerfileParser parser = new DockerfileParser();

  private Dockerfile parse(String text) throws DockerfileSyntaxException {
    return parser.parse(text);
  }

  private static List<ShellCommand> commands(Instruction run) {
    return ShellScript.of(run);
  }

  @Test
  void directivesAtTheTopSetSyntaxAndEscape() throws Exception {
    Dockerfile d = parse("""
        # syntax=docker/dockerfile:1.7
        # escape=`
        FROM scratch
        COPY a `
             b /dst/
        """);
    assertEquals(Optional.of("docker/dockerfile:1.7"), d.syntax());
    assertEquals('`', d.escape());
    Instruction copy = d.finalStage().instructions().get(0);
    assertEquals(4, copy.line());
    assertEquals(List.of("a", "b"), CopySources.of(copy, d.escape()));
  }

  @Test
  void aDirectiveAfterAnythingElseIsAComment() throws Exception {
    Dockerfile d = parse("""
        # a comment first
        # escape=`
        FROM scratch
        COPY a \\
             b /dst/
        """);
    assertEquals('\\', d.escape());
    assertEquals(Optional.empty(), d.syntax());
    assertEquals(List.of("a", "b"), CopySources.of(d.finalStage().instructions().get(0), '\\'));
  }

  @Test
  void aBadEscapeIsRefusedOnItsLine() {
    DockerfileSyntaxException e = assertThrows(DockerfileSyntaxException.class, () -> parse("# escape=x\nFROM scratch\n"));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("escape"), e.getMessage());
  }

  @Test
  void continuationsJoinAndSkipCommentAndBlankLines() throws Exception {
    Dockerfile d = parse("""
        FROM debian:bookworm-slim
        RUN apt-get update \\
        # a comment inside the continuation
         && apt-get install -y \\

              curl \\
         && rm -rf /var/lib/apt/lists/*
        USER app
        """);
    Instruction run = d.finalStage().instructions().get(0);
    assertEquals(2, run.line());
    assertEquals(List.of("apt-get", "apt-get", "rm"), commands(run).stream().map(ShellCommand::program).toList());
    assertEquals(List.of("-y", "curl"), commands(run).get(1).arguments().subList(1, 3));
    assertEquals(8, d.finalStage().instructions().get(1).line(), "each instruction keeps its start line");
  }

  @Test
  void heredocsOfRunAndCopyWithTheirVariants() throws Exception {
    Dockerfile d = parse("""
        FROM debian:bookworm-slim
        RUN <<EOF
        apt-get update
        apt-get install -y --no-install-recommends curl
        EOF
        RUN <<-"SCRIPT" bash
        \t\tset -e
        \t\tpip install --no-cache-dir flask
        \tSCRIPT
        COPY <<one <<'two' /etc/
        first $HOME
        one
        second
        two
        USER app
        """);
    List<Instruction> body = d.finalStage().instructions();
    Instruction first = body.get(0);
    assertEquals(List.of("EOF"), first.heredocs().stream().map(Instruction.Heredoc::delimiter).toList());
    assertEquals(3, first.heredocs().get(0).line());
    assertEquals(List.of("apt-get", "apt-get"), commands(first).stream().map(ShellCommand::program).toList());
    Instruction second = body.get(1);
    assertEquals(6, second.line());
    Instruction.Heredoc script = second.heredocs().get(0);
    assertTrue(script.stripTabs() && script.quoted());
    assertEquals("set -e\npip install --no-cache-dir flask\n", script.body());
    assertEquals(List.of("bash", "set", "pip"), commands(second).stream().map(ShellCommand::program).toList());
    Instruction copy = body.get(2);
    assertEquals(10, copy.line());
    assertEquals(List.of("first $HOME\n", "second\n"), copy.heredocs().stream().map(Instruction.Heredoc::body).toList());
    assertEquals(List.of(false, true), copy.heredocs().stream().map(Instruction.Heredoc::quoted).toList());
    assertEquals(15, body.get(3).line());
  }

  @Test
  void aHeredocNeverClosedIsRefusedOnItsInstructionsLine() {
    DockerfileSyntaxException e = assertThrows(DockerfileSyntaxException.class,
        () -> parse("FROM scratch\nRUN <<EOF\necho hi\n"));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("<<EOF"), e.getMessage());
  }

  @Test
  void quotedAndHereStringMarkersAreNotHeredocs() throws Exception {
    Dockerfile d = parse("""
        FROM scratch
        RUN echo "a <<b" && cat <<<word
        USER app
        """);
    assertEquals(List.of(), d.finalStage().instructions().get(0).heredocs());
  }

  @Test
  void execFormAndShellForm() throws Exception {
    Dockerfile d = parse("""
        FROM scratch
        CMD ["node", "server.js"]
        RUN ["/bin/sh", "-c", "pip install x && rm -rf /root/.cache"]
        ENTRYPOINT [not json
        """);
    List<Instruction> body = d.finalStage().instructions();
    assertEquals(Optional.of(List.of("node", "server.js")), body.get(0).execForm());
    assertEquals(List.of("pip", "rm"), commands(body.get(1)).stream().map(ShellCommand::program).toList());
    assertEquals(Optional.empty(), body.get(2).execForm(), "what is not a JSON array is the shell form");
  }

  @Test
  void flagsBeforeTheArguments() throws Exception {
    Dockerfile d = parse("""
        FROM --platform=linux/amd64 debian:bookworm-slim AS build
        RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt --network=none true
        FROM scratch
        COPY --from=build --chown=10001:10001 --link /out /app
        """);
    Stage build = d.stages().get(0);
    assertEquals("debian:bookworm-slim", build.base());
    assertEquals(Optional.of("build"), build.name());
    assertEquals(Optional.of("linux/amd64"), build.from().flag("platform"));
    Instruction run = build.instructions().get(0);
    assertEquals(List.of("/var/cache/apt", "/var/lib/apt"), PackageRun.cacheMounts(run));
    assertEquals("true", run.arguments());
    Instruction copy = d.finalStage().instructions().get(0);
    assertEquals(Optional.of("build"), copy.flag("from"));
    assertEquals(Optional.of("10001:10001"), copy.flag("chown"));
    assertEquals(Optional.of(""), copy.flag("link"));
    assertEquals(List.of("/out"), CopySources.of(copy, '\\'));
  }

  @Test
  void stagesArgsBeforeFromAndTheShippedChain() throws Exception {
    Dockerfile d = parse("""
        ARG BASE=python
        ARG TAG
        FROM ${BASE}:${TAG:-3.12-slim} AS base
        ENV A=1
        FROM base AS test
        RUN true
        FROM golang:1.22 AS tools
        FROM base
        COPY --from=tools /go/bin/x /usr/local/bin/x
        """);
    assertEquals(2, d.globalArgs().size());
    assertEquals("python:3.12-slim", d.stages().get(0).base());
    assertEquals(4, d.stages().size());
    assertEquals(List.of(0, 3), d.shippedChain().stream().map(Stage::index).toList());
    assertEquals("python:3.12-slim", d.shippedBase());
  }

  @Test
  void keyValuesOfEnvAndArg() throws Exception {
    Dockerfile d = parse("""
        FROM scratch
        ENV A=1 B="two words" C=three\\ words
        ENV OLD value with blanks
        ARG NAME
        """);
    List<Instruction> body = d.finalStage().instructions();
    assertEquals(List.of(new KeyValue("A", Optional.of("1")), new KeyValue("B", Optional.of("two words")),
        new KeyValue("C", Optional.of("three words"))), KeyValue.parse(body.get(0), '\\'));
    assertEquals(List.of(new KeyValue("OLD", Optional.of("value with blanks"))), KeyValue.parse(body.get(1), '\\'));
    assertEquals(List.of(new KeyValue("NAME", Optional.empty())), KeyValue.parse(body.get(2), '\\'));
  }

  @Test
  void whatTheBuilderRefusesIsRefusedWithItsLine() {
    assertEquals(3, assertThrows(DockerfileSyntaxException.class,
        () -> parse("FROM scratch\n\nFROBNICATE x\n")).line());
    assertEquals(1, assertThrows(DockerfileSyntaxException.class, () -> parse("RUN true\nFROM scratch\n")).line());
    assertEquals(1, assertThrows(DockerfileSyntaxException.class, () -> parse("# only a comment\n")).line());
    assertEquals(1, assertThrows(DockerfileSyntaxException.class, () -> parse("FROM a b\n")).line());
    assertEquals(2, assertThrows(DockerfileSyntaxException.class, () -> parse("FROM a\nCOPY\n")).line());
  }

  @Test
  void shellCommandsLoseTheirWrappersAndRedirections() {
    List<ShellCommand> c = ShellScript.parse("set -eux; DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y x"
        + " >/dev/null 2>&1 || { echo failed; exit 1; } # note: apt-get clean\nif true; then pip install y; fi");
    assertEquals(List.of("set", "apt-get", "echo", "exit", "true", "pip"),
        c.stream().map(ShellCommand::program).filter(p -> !p.isEmpty()).toList());
    assertEquals(List.of("install", "-y", "x"), c.get(1).arguments());
    assertEquals("noninteractive", c.get(1).assignments().get("DEBIAN_FRONTEND"));
  }
}
