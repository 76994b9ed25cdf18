package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.run.ExecCommand;
import io.minify.run.ProbeSettings;
import io.minify.select.IncludeRule;
import io.minify.select.KeepRules;
import io.minify.select.KeepUnit;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionRulesTest {

  @Test
  void execProgramsFollowTheUsersRulesEachProgramOnce() {
    ProbeSettings defaults = ProbeSettings.defaults();
    ProbeSettings probing = new ProbeSettings(defaults.http(), defaults.httpProbes(), defaults.httpPorts(),
        defaults.startTimeout(), defaults.startWait(), defaults.retries(), defaults.retryWait(),
        defaults.requestTimeout(), defaults.crawl(), defaults.apiSpecPath(), defaults.apiSpecProbes(),
        defaults.tcpProbes(),
        List.of(ExecCommand.parse("until redis-cli ping; do sleep 1; done"), ExecCommand.parse("redis-cli set k v"),
            ExecCommand.parse("[\"redis-cli\", \"get\", \"k\"]")),
        defaults.continueAfter());
    KeepRules user = new KeepRules(List.of(IncludeRule.exe("curl")), List.of(), false, List.of(),
        EnumSet.of(KeepUnit.STATE_TREES, KeepUnit.SPECIAL_FILES));
    BuildOptions options = BuildOptions.defaults("app:1").toBuilder().keep(user).probing(probing).build();
    String loop = "until redis-cli ping; do sleep 1; done";
    assertEquals(List.of(IncludeRule.exe("curl"), IncludeRule.execProgram(loop, "/bin/sh"),
        IncludeRule.execProgram(loop, "redis-cli"), IncludeRule.execProgram(loop, "sleep")),
        options.selectionRules().includes());
    assertEquals(List.of(IncludeRule.exe("curl")), options.keep().includes(), "the user's rules stay as given");
    assertEquals(user.units(), options.selectionRules().units(), "and so do the keep units they turned on");
  }
}
