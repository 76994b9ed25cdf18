package io.minify.cli;

import java.util.Optional;
import picocli.CommandLine;

/**
 * What a converter ({@link CommandLine.ITypeConverter}) says of a value its option cannot take.
 * The one-line error puts the option's name in front ({@link MinifyCommand}), so every refusal
 * reads the same whether a converter or a later check found it: {@code --tag: ...},
 * {@code --network host: ...}.
 */
final class BadValue extends CommandLine.TypeConversionException {
  private static final long serialVersionUID = 1L;

  /** What follows the option's name before the colon: the value, when the sentence needs it. */
  private final transient Optional<String> subject;

  private BadValue(Optional<String> subject, String why) {
    super(why);
    this.subject = subject;
  }

  /** "OPTION: why". */
  static BadValue because(String why) {
    return new BadValue(Optional.empty(), why);
  }

  /** "OPTION VALUE: why", for a value the sentence names as it is. */
  static BadValue of(String value, String why) {
    return new BadValue(Optional.of(value), why);
  }

  /** "OPTION 'VALUE': why". */
  static BadValue quoting(String value, String why) {
    return of("'" + value + "'", why);
  }

  /** The error line's message for {@code option}. */
  String describe(String option) {
    return option + subject.map(s -> " " + s).orElse("") + ": " + getMessage();
  }
}
