package io.hypersdk.core.progress;

/** Something a long-running operation reports while it runs. A closed set of records. */
public sealed interface ProgressEvent
        permits PhaseChanged, TransferProgress, ConverterOutput, Notice {}
