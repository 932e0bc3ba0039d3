package io.hypersdk.cli.export;

import io.hypersdk.core.settings.Converter;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.settings.TargetFormat;
import io.hypersdk.provider.spi.ExportFormat;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one converter for options whose type is a library enum with an {@code id()}: converts a flag
 * value to the constant with that id (case-insensitive, surrounding blanks ignored); anything else
 * is refused with a message listing the ids: {@code 'x' is not an export format: use ovf or ova}.
 * Completion and help list the same ids, since each of these enums' {@code toString()} is its id.
 */
final class ChoiceConverter<E extends Enum<E>> implements ITypeConverter<E> {
    static final ChoiceConverter<ExportFormat> EXPORT_FORMAT =
            new ChoiceConverter<>(ExportFormat.class, ExportFormat::id, "an export format");
    static final ChoiceConverter<TargetFormat> TARGET_FORMAT =
            new ChoiceConverter<>(TargetFormat.class, TargetFormat::id, "a target format");
    static final ChoiceConverter<Converter> CONVERTER =
            new ChoiceConverter<>(Converter.class, Converter::id, "a converter");
    static final ChoiceConverter<QueueLayout> QUEUE_LAYOUT =
            new ChoiceConverter<>(QueueLayout.class, QueueLayout::id, "a queue layout");

    private final Class<E> type;
    private final Function<E, String> id;
    private final String what;

    /**
     * @param type the enum
     * @param id the constant's id, what the user types
     * @param what what a value is, with its article, for the error message ("an export format")
     */
    ChoiceConverter(Class<E> type, Function<E, String> id, String what) {
        this.type = type;
        this.id = id;
        this.what = what;
    }

    /**
     * Registers the converter of every library enum used as an option type; returns {@code cli}.
     */
    static CommandLine registerAll(CommandLine cli) {
        for (ChoiceConverter<?> c :
                List.of(EXPORT_FORMAT, TARGET_FORMAT, CONVERTER, QUEUE_LAYOUT)) {
            c.register(cli);
        }
        return cli;
    }

    private void register(CommandLine cli) {
        cli.registerConverter(type, this);
    }

    @Override
    public E convert(String value) {
        for (E choice : type.getEnumConstants()) {
            if (id.apply(choice).equalsIgnoreCase(value.trim())) {
                return choice;
            }
        }
        throw new TypeConversionException("'" + value + "' is not " + what + ": use " + choices());
    }

    private String choices() {
        List<String> ids = Arrays.stream(type.getEnumConstants()).map(id).toList();
        String last = ids.get(ids.size() - 1);
        return ids.size() == 1
                ? last
                : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + last;
    }
}
