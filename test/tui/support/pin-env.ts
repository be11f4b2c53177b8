/**
 * Pins what the screen depends on besides its input, before Ink (and chalk) are imported: no colours
 * (chalk reads FORCE_COLOR once, at import), UTC for wall-clock times, and no CI mode.
 * Import it first in a test file.
 */
process.env['FORCE_COLOR'] = '0';
process.env['TZ'] = 'UTC';
