package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.AttachedContainerSpec;
import io.minify.engine.ContainerSpec;
import io.minify.engine.NamespaceModes;
import io.minify.pipeline.LeftoverReaper.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a build reaps of what earlier builds left: only what a build of this boot, PID
 * namespace and user left whose process is gone; never a live build's things, nor what an
 * older minify, another machine or a minify in a container made; and of the files, only the
 * work directory that its marker shows to be the dead build's own.
 */
class LeftoverReaperTest {
  private static final long DEAD_PID = 1234;

  @TempDir
  Path tmp;

  private final FakeFacts facts = new FakeFacts();

  private static BuildOwner owner(long pid, long started, Path workDir) {
    return new BuildOwner(UUID.randomUUID().toString().replace("-", ""), workDir, pid, started, FakeFacts.BOOT,
        FakeFacts.PID_NS, 0);
  }

  private BuildOwner deadOwner() {
    return owner(DEAD_PID, 777, tmp.resolve("work/minify-1"));
  }

  // --- the decision

  @Test
  void anOwnerWhosePidHasNoProcessIsDead() {
    assertEquals(Verdict.DEAD, LeftoverReaper.judge(deadOwner(), facts));
  }

  @Test
  void anOwnerThatStillRunsIsAlive() {
    facts.running.put(DEAD_PID, 777L);
    assertEquals(Verdict.ALIVE, LeftoverReaper.judge(deadOwner(), facts));
    assertEquals(Verdict.ALIVE, LeftoverReaper.judge(owner(FakeFacts.SELF, FakeFacts.SELF_STARTED, tmp), facts),
        "this very process");
  }

  @Test
  void aPidThatWentToAnotherProcessIsDead() {
    facts.running.put(DEAD_PID, 778L);
    assertEquals(Verdict.DEAD, LeftoverReaper.judge(deadOwner(), facts));
  }

  @Test
  void anOwnerOfAnotherBootOrMachineIsNeverJudged() {
    BuildOwner elsewhere = new BuildOwner(deadOwner().runId(), deadOwner().workDir(), DEAD_PID, 777,
        "11111111-2222-3333-4444-555555555555", FakeFacts.PID_NS, 0);
    assertEquals(Verdict.OTHER_BOOT, LeftoverReaper.judge(elsewhere, facts));
  }

  @Test
  void anOwnerInAnotherPidNamespaceIsNeverJudged() {
    // a minify in a container with the engine's socket: its pid 7 is not this host's pid 7
    BuildOwner inContainer = new BuildOwner(deadOwner().runId(), deadOwner().workDir(), 7, 777, FakeFacts.BOOT,
        "4026532599", 0);
    assertEquals(Verdict.OTHER_PID_NAMESPACE, LeftoverReaper.judge(inContainer, facts));
  }

  @Test
  void anotherUsersBuildIsJudgedByRootOnly() {
    BuildOwner theirs = new BuildOwner(deadOwner().runId(), deadOwner().workDir(), DEAD_PID, 777, FakeFacts.BOOT,
        FakeFacts.PID_NS, 1001);
    facts.uid = 1000;
    assertEquals(Verdict.OTHER_USER, LeftoverReaper.judge(theirs, facts), "hidepid may hide their processes");
    facts.uid = 0;
    assertEquals(Verdict.DEAD, LeftoverReaper.judge(theirs, facts));
  }

  @Test
  void whatCannotBeReadIsLeftAlone() {
    facts.unreadable.add(DEAD_PID);
    assertEquals(Verdict.UNREADABLE, LeftoverReaper.judge(deadOwner(), facts));
    facts.unreadable.clear();
    facts.bootId = null;
    assertEquals(Verdict.HOST_UNKNOWN, LeftoverReaper.judge(deadOwner(), facts));
  }

  @Test
  void labelsOfAnOlderMinifyNameNoOwner() {
    BuildOwner dead = deadOwner();
    Map<String, String> labels = new HashMap<>(dead.labels());
    assertEquals(Optional.of(dead), BuildOwner.fromLabels(labels));
    // what minify labelled before: the run id and the work root only
    assertEquals(Optional.empty(), BuildOwner.fromLabels(Map.of(ContainerSpec.OWNER_LABEL, dead.runId(),
        ContainerSpec.WORK_ROOT_LABEL, "/tmp")));
    for (String key : dead.labels().keySet()) {
      Map<String, String> missing = new HashMap<>(labels);
      missing.remove(key);
      assertEquals(Optional.empty(), BuildOwner.fromLabels(missing), "without " + key);
    }
    for (String[] bad : new String[][] {{ContainerSpec.OWNER_PID_LABEL, "0"}, {ContainerSpec.OWNER_PID_LABEL, "x"},
        {ContainerSpec.OWNER_START_TIME_LABEL, "-1"}, {ContainerSpec.WORK_DIR_LABEL, "relative/minify-1"},
        {ContainerSpec.WORK_DIR_LABEL, "/tmp/../etc"}, {ContainerSpec.OWNER_LABEL, "it"},
        {ContainerSpec.OWNER_PID_NS_LABEL, "pid:[1]"}, {ContainerSpec.OWNER_UID_LABEL, "-1"}}) {
      Map<String, String> malformed = new HashMap<>(labels);
      malformed.put(bad[0], bad[1]);
      assertEquals(Optional.empty(), BuildOwner.fromLabels(malformed), bad[0] + "=" + bad[1]);
    }
  }

  // --- the real /proc, as a tree

  @Test
  void procStatFieldsCountFromTheLastParenthesis() throws IOException {
    String tail = " 1 1 0 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 30 0 ";
    assertEquals(OptionalLong.of(98765), HostFacts.Proc.parseStat("4321 (java) S" + tail + "98765 1000 10\n"));
    assertEquals(OptionalLong.of(98765), HostFacts.Proc.parseStat("4321 (a) (b c) S" + tail + "98765 1000 10\n"),
        "a command name with spaces and parentheses");
    assertEquals(OptionalLong.empty(), HostFacts.Proc.parseStat("4321 (java) Z" + tail + "98765 1000 10\n"),
        "a zombie has ended");
  }

  @Test
  void procTreeFacts() throws IOException {
    Path proc = tmp.resolve("proc");
    Files.createDirectories(proc.resolve("sys/kernel/random"));
    Files.writeString(proc.resolve("sys/kernel/random/boot_id"), FakeFacts.BOOT + "\n");
    Files.createDirectories(proc.resolve("42/ns"));
    Files.createSymbolicLink(proc.resolve("self"), Path.of("42"));
    Files.createSymbolicLink(proc.resolve("42/ns/pid"), Path.of("pid:[4026531836]"));
    Files.writeString(proc.resolve("42/status"), "Name:\tjava\nUid:\t1000\t1001\t1001\t1001\n");
    Files.writeString(proc.resolve("42/stat"), "42 (java) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 30 0 5555 1 1\n");
    HostFacts.Proc facts = new HostFacts.Proc(proc, 42);
    assertEquals(Optional.of(FakeFacts.BOOT), facts.bootId());
    assertEquals(Optional.of("4026531836"), facts.pidNamespace());
    assertEquals(1001, facts.uid(), "the effective uid");
    assertEquals(OptionalLong.of(5555), facts.startTime(42));
    assertEquals(OptionalLong.empty(), facts.startTime(43), "no such process");
    assertEquals(Optional.empty(), new HostFacts.Proc(proc, 7).pidNamespace(),
        "a /proc whose self is another process is of another namespace");
  }

  @Test
  void theRealProcNamesThisProcess() throws IOException {
    HostFacts host = HostFacts.proc();
    assertTrue(host.bootId().isPresent());
    assertTrue(host.pidNamespace().isPresent());
    assertTrue(host.uid() >= 0);
    OptionalLong started = host.startTime(host.pid());
    assertTrue(started.isPresent());
    BuildOwner me = BuildOwner.current(host, "0".repeat(32), tmp).orElseThrow();
    assertEquals(Verdict.ALIVE, LeftoverReaper.judge(me, host));
  }

  // --- reaping

  /** A dead build's work directory with its marker and a file, its container and its run tags. */
  private BuildOwner leaveBehind(FakeHost host, BuildOwner owner, boolean container) throws IOException {
    Files.createDirectories(owner.workDir().resolve("minify-gate-1"));
    owner.mark();
    Files.writeString(owner.workDir().resolve("slim-layer.tar"), "layer");
    if (container) {
      Map<String, String> labels = new HashMap<>(owner.labels());
      labels.put(ContainerSpec.WORK_ROOT_LABEL, owner.workDir().getParent().toString());
      host.engine.containers().createContainer(new ContainerSpec(FakeHost.ORIGINAL, List.of(), Map.of(), List.of(8080),
          labels));
    }
    host.engine.images().tagImage(FakeHost.ORIGINAL, InspectStep.RUN_REPOSITORY, owner.runId());
    host.engine.images().tagImage(FakeHost.ORIGINAL, "minify-sensor", owner.runId());
    return owner;
  }

  @Test
  void aDeadBuildsContainerTagsAndWorkDirectoryGoWithOneLine() throws IOException {
    FakeHost host = new FakeHost();
    BuildOwner dead = leaveBehind(host, deadOwner(), true);
    List<String> said = new ArrayList<>();

    new LeftoverReaper(host.engine.images(), host.engine.containers(), facts, said::add).reap(tmp.resolve("work"));

    // the fake engine's ids count up at their end: all begin with 12 zeros
    assertEquals(List.of("minify: removed what a build that ended without cleaning up left (pid 1234, container "
        + "000000000000, tag minify-run:" + dead.runId() + ", tag minify-sensor:" + dead.runId() + ", work dir "
        + dead.workDir() + ")"), said);
    assertEquals(List.of(), host.engine.containerIds());
    assertEquals(List.of(FakeHost.ORIGINAL), List.copyOf(host.engine.tags().keySet()));
    assertFalse(Files.exists(dead.workDir()));
  }

  @Test
  void aWorkDirectoryWithoutContainersIsReapedByItsMarker() throws IOException {
    // killed while it selected or packaged: no container, its directory and run tag are left
    FakeHost host = new FakeHost();
    BuildOwner dead = leaveBehind(host, deadOwner(), false);
    List<String> said = new ArrayList<>();

    new LeftoverReaper(host.engine.images(), host.engine.containers(), facts, said::add).reap(tmp.resolve("work"));

    assertEquals(List.of("minify: removed what a build that ended without cleaning up left (pid 1234, tag "
        + "minify-run:" + dead.runId() + ", tag minify-sensor:" + dead.runId() + ", work dir " + dead.workDir() + ")"),
        said);
    assertFalse(Files.exists(dead.workDir()));
  }

  @Test
  void liveOlderAndForeignBuildsAreLeftAlone() throws IOException {
    FakeHost host = new FakeHost();
    Path root = tmp.resolve("work");
    BuildOwner live = leaveBehind(host, owner(2000, 10, root.resolve("minify-live")), true);
    facts.running.put(2000L, 10L);
    BuildOwner reused = owner(2001, 11, root.resolve("minify-reused"));
    facts.running.put(2001L, 11L); // alive, then its pid goes to another process: see below
    leaveBehind(host, reused, true);
    BuildOwner elsewhere = leaveBehind(host, new BuildOwner(live.runId().replace('a', 'b').replace('0', '1'),
        root.resolve("minify-elsewhere"), DEAD_PID, 5, "another-boot", FakeFacts.PID_NS, 0), true);
    // an older minify's container: the owner label and the work root only
    host.engine.containers().createContainer(new ContainerSpec(FakeHost.ORIGINAL, List.of(), Map.of(), List.of(),
        Map.of(ContainerSpec.OWNER_LABEL, "0".repeat(32), ContainerSpec.WORK_ROOT_LABEL, root.toString())));
    // a directory of ours without a marker (an analysis's scratch), and one that is not ours
    Files.createDirectories(root.resolve("minify-analysis-1"));
    Files.createDirectories(root.resolve("other"));
    List<String> said = new ArrayList<>();

    new LeftoverReaper(host.engine.images(), host.engine.containers(), facts, said::add).reap(root);
    assertEquals(List.of(), said);
    assertEquals(4, host.engine.containerIds().size());

    facts.running.put(2001L, 99L);
    new LeftoverReaper(host.engine.images(), host.engine.containers(), facts, said::add).reap(root);
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).contains("(pid 2001, container "), said.toString());
    assertEquals(3, host.engine.containerIds().size());
    assertFalse(Files.exists(reused.workDir()));
    for (Path left : List.of(live.workDir(), elsewhere.workDir(), root.resolve("minify-analysis-1"),
        root.resolve("other"))) {
      assertTrue(Files.exists(left), left + " is left alone");
    }
    assertTrue(host.engine.tags().containsKey("minify-run:" + live.runId()));
  }

  @Test
  void onlyTheDeadBuildsOwnWorkDirectoryIsDeleted() throws IOException {
    FakeHost host = new FakeHost();
    Path root = tmp.resolve("work");
    BuildOwner live = leaveBehind(host, owner(2000, 10, root.resolve("minify-live")), false);
    facts.running.put(2000L, 10L);
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("keep"), "keep");
    Files.createSymbolicLink(root.resolve("minify-link"), elsewhere);
    Path unprefixed = Files.createDirectories(tmp.resolve("notours"));
    // dead builds whose labels name directories they do not own: a live build's, a link, one
    // not named as minify names its work directories (though its marker names this owner)
    List<BuildOwner> dead = List.of(owner(DEAD_PID, 1, live.workDir()), owner(DEAD_PID + 1, 1,
        root.resolve("minify-link")), owner(DEAD_PID + 2, 1, unprefixed));
    dead.get(2).mark();
    for (BuildOwner owner : dead) {
      host.engine.containers().createContainer(new ContainerSpec(FakeHost.ORIGINAL, List.of(), Map.of(), List.of(),
          owner.labels()));
    }
    List<String> said = new ArrayList<>();

    new LeftoverReaper(host.engine.images(), host.engine.containers(), facts, said::add).reap(root);

    assertEquals(List.of(
        "minify: removed what a build that ended without cleaning up left (pid 1234, container 000000000000)",
        "minify: removed what a build that ended without cleaning up left (pid 1235, container 000000000000)",
        "minify: removed what a build that ended without cleaning up left (pid 1236, container 000000000000)"),
        said);
    assertEquals(List.of(), host.engine.containerIds());
    assertTrue(Files.exists(live.workDir().resolve(BuildOwner.MARKER)));
    assertTrue(Files.exists(elsewhere.resolve("keep")));
    assertTrue(Files.isSymbolicLink(root.resolve("minify-link")));
    assertTrue(Files.exists(unprefixed.resolve(BuildOwner.MARKER)));
  }

  @Test
  void aToolsContainerLabelledByADeadDebugIsReapedAndNothingElse() throws IOException {
    // minify debug killed with -9: its tools container keeps running; the next build removes it
    FakeHost host = new FakeHost();
    Path root = tmp.resolve("work");
    Files.createDirectories(root);
    Map<String, String> labels = OwnerLabels.ofThisProcess(facts, root, "debug");
    String runId = labels.get(ContainerSpec.OWNER_LABEL);
    assertTrue(runId.matches("[0-9a-f]{32}"), labels.toString());
    assertEquals(String.valueOf(FakeFacts.SELF), labels.get(ContainerSpec.OWNER_PID_LABEL));
    assertEquals(root.resolve("minify-debug-" + runId).toString(), labels.get(ContainerSpec.WORK_DIR_LABEL));
    host.engine.containers().createAttached(new AttachedContainerSpec("minify-debug-app-1", FakeHost.ORIGINAL,
        List.of("sh"), "0", List.of(), NamespaceModes.own(), labels, true));
    List<String> said = new ArrayList<>();

    new LeftoverReaper(host.engine.images(), host.engine.containers(), facts, said::add).reap(root);
    assertEquals(List.of(), said, "its debug still runs");
    assertEquals(1, host.engine.containerIds().size());

    facts.running.remove(FakeFacts.SELF);
    new LeftoverReaper(host.engine.images(), host.engine.containers(), facts, said::add).reap(root);
    assertEquals(List.of("minify: removed what a build that ended without cleaning up left (pid " + FakeFacts.SELF
        + ", container 000000000000)"), said);
    assertEquals(List.of(), host.engine.containerIds());
    assertTrue(Files.isDirectory(root), "the work root stays");
  }

  @Test
  void aContainerThatCannotBeRemovedKeepsItsWorkDirectory() throws IOException {
    FakeHost host = new FakeHost().failAt(FakeHost.Call.REMOVE_CONTAINER, 1);
    BuildOwner dead = leaveBehind(host, deadOwner(), true);
    List<String> said = new ArrayList<>();

    new LeftoverReaper(host.engine.images(), host.engine.containers(), facts, said::add).reap(tmp.resolve("work"));

    assertEquals(2, said.size(), said.toString());
    assertTrue(said.get(1).startsWith("minify: warning: cannot remove all that a build that ended without cleaning up"
        + " (pid 1234) left: injected fault: REMOVE_CONTAINER #1"), said.toString());
    assertTrue(Files.exists(dead.workDir()), "its gate is still mounted in the container");
  }

  // --- in a build

  @Test
  void aBuildReapsWhatADeadBuildLeftAndNamesItselfOnWhatItMakes() throws Exception {
    FakeHost host = new FakeHost();
    Path root = tmp.resolve("work");
    BuildOwner dead = leaveBehind(host, owner(DEAD_PID, 777, root.resolve("minify-dead")), true);
    BuildOwner live = leaveBehind(host, owner(2000, 10, root.resolve("minify-live")), true);
    host.facts.running.put(2000L, 10L);

    new BuildPipeline(host.services(), BuildListener.silent())
        .run(BuildOptions.defaults(FakeHost.ORIGINAL).toBuilder().workRoot(root).build());

    assertEquals(1, host.notices.size(), host.notices.toString());
    assertTrue(host.notices.get(0).startsWith("minify: removed what a build that ended without cleaning up left"
        + " (pid 1234, container 000000000000, tag minify-run:" + dead.runId()), host.notices.toString());
    assertEquals(List.of("0000000000000000000000000000000000000000000000000000000000000002"),
        host.engine.containerIds(), "the live build's container is left");
    assertEquals(List.of(live.workDir()), Files.list(root).toList());
    // the build's own containers name it: this process, this boot, its work directory
    Map<String, String> labels = host.engine.createdSpecs.get(2).labels();
    String workDir = labels.get(ContainerSpec.WORK_DIR_LABEL);
    assertTrue(workDir.startsWith(root + "/minify-"), workDir);
    assertEquals(root.toString(), labels.get(ContainerSpec.WORK_ROOT_LABEL));
    BuildOwner me = BuildOwner.fromLabels(labels).orElseThrow();
    assertEquals(List.of(FakeFacts.SELF, FakeFacts.SELF_STARTED), List.of(me.pid(), me.startTime()));
    assertEquals(List.of(FakeFacts.BOOT, FakeFacts.PID_NS), List.of(me.bootId(), me.pidNamespace()));
    assertEquals(Verdict.ALIVE, LeftoverReaper.judge(me, host.facts));
  }
}
