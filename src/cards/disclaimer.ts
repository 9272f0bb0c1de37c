/** The line every card ends with. */
export const DISCLAIMER = 'Research use only, not medical advice.';
