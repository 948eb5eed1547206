/** Content-filter annotations (§7.3): constant objects, built once because they go on every chunk. */

const safe = { filtered: false, severity: 'safe' } as const;

export const promptFilterResults = [
  {
    prompt_index: 0,
    content_filter_results: {
      hate: safe,
      jailbreak: { filtered: false, detected: false },
      self_harm: safe,
      sexual: safe,
      violence: safe,
    },
  },
];

export const safeChoiceResults = {
  hate: safe,
  protected_material_code: { filtered: false, detected: false },
  protected_material_text: { filtered: false, detected: false },
  self_harm: safe,
  sexual: safe,
  violence: safe,
};

export const filteredChoiceResults = { ...safeChoiceResults, violence: { filtered: true, severity: 'high' } };

/** Pre-serialised fragments for the streaming hot path. */
export const safeChoiceResultsJson = JSON.stringify(safeChoiceResults);
export const promptFilterResultsJson = JSON.stringify(promptFilterResults);
