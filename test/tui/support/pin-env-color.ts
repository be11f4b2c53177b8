/** As pin-env, but with 16 colours, for the tests that check colour itself. Import it first. */
process.env['FORCE_COLOR'] = '1';
process.env['TZ'] = 'UTC';
