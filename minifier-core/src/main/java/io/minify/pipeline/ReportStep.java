package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.report.BuildReport;
import io.minify.report.ReportJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Stage 9: what the build found, as a {@link BuildReport}, written to {@code --report}. */
final class ReportStep implements BuildStep {
  static final Handoff<BuildReport> REPORT = Handoff.named("the report");

  @Override
  public Stage stage() {
    return Stage.REPORT;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    BuildReport report = ReportAssembler.assemble(build);
    build.put(REPORT, report);
    Path file = build.options().reportFile();
    if (file == null) {
      return "no report file";
    }
    try {
      new ReportJson().write(report, file);
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "cannot write the report to " + file + ": " + e.getMessage(),
          List.of(), e);
    }
    return "written to " + file;
  }
}
