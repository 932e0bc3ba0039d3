package io.hypersdk.cli.export;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts a flag value to the {@link CliChoice} enum constant with that id (case-insensitive,
 * surrounding blanks ignored); anything else is refused with a message listing the choices:
 * {@code 'x' is not an export format: use ovf or ova}. Subclasses name the enum and what it is.
 */
abstract class ChoiceConverter<E extends Enum<E> & CliChoice> implements ITypeConverter<E> {
  private final Class<E> type;
  private final String what;

  /**
   * @param type the enum
   * @param what what a value is, with its article, for the error message ("an export format")
   */
  ChoiceConverter(Class<E> type, String what) {
    this.type = type;
    this.what = what;
  }

  @Override
  public E convert(String value) {
    for (E choice : type.getEnumConstants()) {
      if (choice.id().equalsIgnoreCase(value.trim())) {
        return choice;
      }
    }
    throw new TypeConversionException("'" + value + "' is not " + what + ": use " + choices());
  }

  private String choices() {
    List<String> ids = Arrays.stream(type.getEnumConstants()).map(CliChoice::id).toList();
    String last = ids.get(ids.size() - 1);
    return ids.size() == 1 ? last : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + last;
  }
}
