/** 0: all done. 1: some documents failed, were skipped or were quarantined, or a metric is below its threshold. 2: usage or configuration error. */
export const EXIT_OK = 0;
export const EXIT_PARTIAL = 1;
export const EXIT_USAGE = 2;
