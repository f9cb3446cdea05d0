/**
 * The site icon: a white chain link on a blue rounded square, 32x32, as an ICO file holding one PNG
 * (the form every current browser reads at `/favicon.ico`). Kept here as bytes so that the server needs
 * no asset folder and answers it whether or not the viewer is built.
 */
export const FAVICON_ICO: Buffer = Buffer.from(
  [
    'AAABAAEAICAAAAEAIACFAQAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAgAAAAIAgGAAAAc3p69AAAAUxJREFUeAHFwYFtg0AM',
    'QNF/J/bAo5hJ8GjOJHgUMwlNpCKdUK4KqC3vFQ7Gedn4Q+tjKjQK38Z52fhH62MqPBWexnnZuMH6mErlZmWcl40bVW5WudnA',
    'D9KVT4kFV1Q60pUz0pUrBt5IV1piQU+6sktXxIIzyjgvG410ZScWfCpd2YkFn6rcrNIhFpwhFlwxcFG60pOutMSCnkpHutKT',
    'rpyRrvRUTkpXWmKBWNASC8SCVrryThnnZeMgXWmJBS/pyk4seElXWmLBUbqyEwtaA2+IBenKLl05SleOxIKzKh1iwRliQY9Y',
    '0DPwA7Ggla68iAW/pXJBunJGutJTuVkZ52XjhHSlJRb0pCstseCojPOycVK6cpZY8E7lArHgDLGgZ+AiseA3VG5WuVnhaZyX',
    'jRusj6lUblb4Ns7Lxj9aH1PhqXAwzsvGH1ofU6HxBbEkeK56jX8iAAAAAElFTkSuQmCC',
  ].join(''),
  'base64',
);
