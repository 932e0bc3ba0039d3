/**
 * Text from outside made safe to print on a terminal: {@link io.hypersdk.core.text.TerminalText}.
 */
package io.hypersdk.core.text;
