package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The merge of the scenarios' access logs, and which scenarios each kept path is for. */
class ScenarioAccessTest {

  private static final UnixPath LIBC = UnixPath.of("/lib/libc.so.6");
  private static final UnixPath WEB = UnixPath.of("/app/web.py");
  private static final UnixPath JOBS = UnixPath.of("/app/jobs.csv");
  private static final UnixPath CACHE = UnixPath.of("/var/cache/app");
  private static final UnixPath LOG = UnixPath.of("/var/log/app.log");

  private static AccessLog log(Set<UnixPath> files, Set<UnixPath> dirs, Set<UnixPath> written, Set<Integer> uids,
      long events) {
    return new AccessLog(new TreeSet<>(files), new TreeSet<>(dirs), new TreeSet<>(Set.of(LIBC)),
        new TreeSet<>(written), new TreeSet<>(uids), events);
  }

  @Test
  void theMergedLogIsTheUnionOfEveryScenariosAndSaysWhoSawWhat() {
    Map<String, AccessLog> logs = new LinkedHashMap<>();
    logs.put("web", log(Set.of(LIBC, WEB), Set.of(), Set.of(), Set.of(0), 10));
    logs.put("worker", log(Set.of(LIBC, JOBS), Set.of(CACHE), Set.of(LOG), Set.of(1000), 7));
    ScenarioAccess merged = ScenarioAccess.merge(logs);

    assertEquals(new TreeSet<>(Set.of(LIBC, WEB, JOBS)), merged.merged().files());
    assertEquals(new TreeSet<>(Set.of(CACHE)), merged.merged().directories());
    assertEquals(new TreeSet<>(Set.of(LOG)), merged.merged().written());
    assertEquals(new TreeSet<>(Set.of(LIBC)), merged.merged().executed());
    assertEquals(new TreeSet<>(Set.of(0, 1000)), merged.merged().processUids());
    assertEquals(17, merged.merged().events());

    assertEquals(List.of("web", "worker"), merged.observedBy(LIBC));
    assertEquals(List.of("web"), merged.observedBy(WEB));
    assertEquals(List.of("worker"), merged.observedBy(JOBS));
    assertEquals(List.of("worker"), merged.observedBy(CACHE));
    assertEquals(List.of("worker"), merged.observedBy(LOG));
    assertEquals(List.of(), merged.observedBy(UnixPath.of("/etc/passwd")));
    assertEquals(List.of("web", "worker"), List.copyOf(merged.byScenario().keySet()), "in the scenarios' order");
  }

  @Test
  void aSingleRunIsItsOwnMerge() {
    AccessLog only = log(Set.of(WEB), Set.of(), Set.of(), Set.of(), 1);
    assertSame(only, ScenarioAccess.merge(Map.of("", only)).merged());
  }

  @Test
  void eachKeptPathIsForTheScenariosWhoseOwnSelectionKeepsIt() {
    Map<String, Set<UnixPath>> own = new LinkedHashMap<>();
    own.put("web", Set.of(LIBC, WEB));
    own.put("worker", Set.of(LIBC, JOBS, LOG));
    UnixPath together = UnixPath.of("/etc/shared");
    ScenarioAttribution a = ScenarioAttribution.of(Set.of(LIBC, WEB, JOBS, LOG, together), own);

    assertEquals(List.of("web", "worker"), a.scenariosOf(LIBC));
    assertEquals(List.of("web"), a.scenariosOf(WEB));
    assertEquals(List.of("worker"), a.scenariosOf(JOBS));
    assertEquals(List.of(), a.scenariosOf(together), "kept for the runs together, by neither alone");
    assertEquals(2, a.neededBy("web"));
    assertEquals(3, a.neededBy("worker"));
    assertEquals(1, a.neededOnlyBy("web"));
    assertEquals(2, a.neededOnlyBy("worker"));
    assertEquals(List.of("web", "worker"), a.scenarios());
  }
}
