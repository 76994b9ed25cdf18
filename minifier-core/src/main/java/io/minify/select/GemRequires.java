package io.minify.select;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Ruby file of a gem (or of the app) loads, found by reading its text:
 * {@code require 'x'}, {@code require_relative 'x'} and {@code autoload :X, 'x'} with a
 * literal name, anywhere in the file (a {@code require} inside a method or a block runs only
 * when it is called). A load whose name is not one literal string ({@code require name},
 * {@code require "x/#{name}"}, {@code autoload :X} of ActiveSupport, which names the file
 * after the constant, {@code method(:require)}) is a computed load. Comments and strings are
 * not told apart from code: a require in a comment only keeps a file more.
 */
final class GemRequires {
  private static final Pattern CALL = Pattern.compile("(?<![\\w.:$@])(require_relative|require|autoload)\\b(?![?!:=])");
  private static final Pattern SENT =
      Pattern.compile("(?:method|send|public_send|__send__)\\(\\s*:require(?:_relative)?\\b|&:require\\b");
  private static final Pattern DEFINITION = Pattern.compile("\\bdef\\s+(?:self\\.)?$");

  /**
   * A load the scan cannot follow.
   *
   * @param call   "require", "require_relative" or "autoload"
   * @param prefix the literal text the name starts with ("x/" of {@code require "x/#{n}"}), "" when none
   */
  record Computed(String call, String prefix) {}

  /**
   * What one file loads.
   *
   * @param features  names {@code require} and {@code autoload} load from the load path, without repeats
   * @param relatives names {@code require_relative} loads, relative to the file's directory
   * @param computed  loads by computed names
   * @param zeitwerk  whether it sets up Zeitwerk, which loads the gem's files by names made from its directory
   */
  record Scan(List<String> features, List<String> relatives, List<Computed> computed, boolean zeitwerk) {
    Scan {
      features = List.copyOf(features);
      relatives = List.copyOf(relatives);
      computed = List.copyOf(computed);
    }
  }

  private GemRequires() {}

  static Scan of(byte[] source) {
    String text = new String(source, StandardCharsets.UTF_8); // only ASCII names are read
    Set<String> features = new LinkedHashSet<>();
    Set<String> relatives = new LinkedHashSet<>();
    List<Computed> computed = new ArrayList<>();
    Matcher m = CALL.matcher(text);
    while (m.find()) {
      String call = m.group(1);
      int lineStart = text.lastIndexOf('\n', m.start()) + 1;
      if (DEFINITION.matcher(text.substring(lineStart, m.start())).find()) {
        continue; // def require(path): a patch of Kernel#require, not a load
      }
      int i = skipBlanks(text, m.end());
      boolean paren = i < text.length() && text.charAt(i) == '(';
      if (paren) {
        i = skipBlanks(text, i + 1);
      }
      if (call.equals("autoload")) {
        // autoload :Name, 'path' -- or autoload :Name alone (ActiveSupport::Autoload: a path made from the name)
        int j = i;
        if (j < text.length() && text.charAt(j) == ':') {
          j++;
        }
        int nameStart = j;
        while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
          j++;
        }
        if (j == nameStart) {
          continue; // not a call
        }
        j = skipBlanks(text, j);
        if (j >= text.length() || text.charAt(j) != ',') {
          computed.add(new Computed(call, ""));
          continue;
        }
        i = skipBlanks(text, j + 1);
      }
      argument(text, i, call, call.equals("require_relative") ? relatives : features, computed);
    }
    if (SENT.matcher(text).find()) {
      computed.add(new Computed("require", ""));
    }
    return new Scan(List.copyOf(features), List.copyOf(relatives), computed, text.contains("Zeitwerk::Loader"));
  }

  private static void argument(String text, int i, String call, Set<String> literal, List<Computed> computed) {
    if (i >= text.length()) {
      return;
    }
    char quote = text.charAt(i);
    if (quote != '\'' && quote != '"') {
      // require name, require File.join(...): a computed name; require alone, require: true are not loads
      if (Character.isLetter(quote) || quote == '_' || quote == '@' || quote == '$' || quote == '(' || quote == '%') {
        computed.add(new Computed(call, ""));
      }
      return;
    }
    StringBuilder value = new StringBuilder();
    int j = i + 1;
    for (; j < text.length(); j++) {
      char c = text.charAt(j);
      if (c == quote || c == '\n') {
        break;
      }
      if (quote == '"' && c == '#' && j + 1 < text.length() && text.charAt(j + 1) == '{') {
        computed.add(new Computed(call, value.toString()));
        return;
      }
      if (c == '\\' && j + 1 < text.length()) {
        value.append(text.charAt(++j));
        continue;
      }
      value.append(c);
    }
    if (j >= text.length() || text.charAt(j) != quote) {
      return; // not a string after all
    }
    int after = skipBlanks(text, j + 1);
    if (after < text.length() && (text.charAt(after) == '+' || text.charAt(after) == '%')) {
      computed.add(new Computed(call, value.toString())); // require 'x/' + name
    } else if (!value.isEmpty()) {
      literal.add(value.toString());
    }
  }

  private static int skipBlanks(String text, int i) {
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
