// The glossary of Translate: the user's fixed translations (term → translation) and terms to keep as they
// are, saved with the user's settings and sent with every translation; below them the organisation's
// glossary (GET /api/v1/glossary), which the BFF adds on its own, shown read-only so the user knows it applies.
// The section opens on demand (a disclosure button): the organisation glossary is asked for only then, so a
// pane that never shows it sends no request (and asks no sign-in) for it.
import { Button, Field, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { isAbortError } from '../../../contract/abort.js';
import type { ApiClient } from '../../shared/api/api-client.js';
import { ApiError } from '../../shared/api/api-error.js';
import type { Glossary } from '../../shared/api/translate-glossary.js';
import { useMessages } from '../../shared/i18n/i18n-context.js';
import { format, formatLocalized } from '../../shared/i18n/messages.js';
import { useSettings } from '../../shared/settings/settings-context.js';

const useStyles = makeStyles({
  section: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalM,
  },
  heading: { margin: 0 },
  content: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  form: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS },
  item: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  hint: { color: tokens.colorNeutralForeground3 },
});

type OrganisationGlossary = { state: 'loading' } | { state: 'loaded'; glossary: Glossary } | { state: 'failed'; code: string } | { state: 'none' };

export function GlossaryEditor({ api, disabled }: { api: ApiClient; disabled: boolean }) {
  const messages = useMessages();
  const styles = useStyles();
  const { settings } = useSettings();
  const [open, setOpen] = useState(false);
  const contentId = useId();
  const count = Object.keys(settings.glossary.terms).length + settings.glossary.doNotTranslate.length;
  return (
    <section className={styles.section} data-testid="glossary-editor">
      <h2 className={styles.heading}>
        <Button
          appearance="subtle"
          icon={<span aria-hidden="true">{open ? '▾' : '▸'}</span>}
          aria-expanded={open}
          aria-controls={contentId}
          onClick={() => setOpen((current) => !current)}
        >
          {count === 0 ? messages.glossaryTitle : formatLocalized(messages, messages.glossaryTitleWithCount, { count })}
        </Button>
      </h2>
      <div id={contentId} hidden={!open} className={styles.content}>
        {open && <GlossaryContent api={api} disabled={disabled} />}
      </div>
    </section>
  );
}

function GlossaryContent({ api, disabled }: { api: ApiClient; disabled: boolean }) {
  const messages = useMessages();
  const styles = useStyles();
  const { settings, updateSettings } = useSettings();
  const { glossary } = settings;
  const [term, setTerm] = useState('');
  const [translation, setTranslation] = useState('');
  const [keepTerm, setKeepTerm] = useState('');
  const [organisation, setOrganisation] = useState<OrganisationGlossary>({ state: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    api.organisationGlossary({ signal: controller.signal }).then(
      (loaded) => setOrganisation({ state: 'loaded', glossary: loaded }),
      (error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        // A BFF older than the glossary route has none to show; anything else is said, with its code.
        if (error instanceof ApiError && error.status === 404) setOrganisation({ state: 'none' });
        else setOrganisation({ state: 'failed', code: error instanceof ApiError ? error.code : 'NETWORK_ERROR' });
      },
    );
    return () => controller.abort();
  }, [api]);

  const save = (change: Partial<Glossary>) => updateSettings({ glossary: { ...glossary, ...change } });

  const addTerm = (event: FormEvent) => {
    event.preventDefault();
    const cleanTerm = term.trim();
    const cleanTranslation = translation.trim();
    if (cleanTerm === '' || cleanTranslation === '') return;
    save({ terms: { ...glossary.terms, [cleanTerm]: cleanTranslation } });
    setTerm('');
    setTranslation('');
  };
  const removeTerm = (removed: string) => save({ terms: Object.fromEntries(Object.entries(glossary.terms).filter(([name]) => name !== removed)) });
  const addKeepTerm = (event: FormEvent) => {
    event.preventDefault();
    const clean = keepTerm.trim();
    if (clean === '') return;
    if (!glossary.doNotTranslate.includes(clean)) save({ doNotTranslate: [...glossary.doNotTranslate, clean] });
    setKeepTerm('');
  };
  const removeKeepTerm = (removed: string) => save({ doNotTranslate: glossary.doNotTranslate.filter((name) => name !== removed) });

  const terms = Object.entries(glossary.terms);
  const organisationTerms = organisation.state === 'loaded' ? Object.entries(organisation.glossary.terms) : [];
  const organisationKeep = organisation.state === 'loaded' ? organisation.glossary.doNotTranslate : [];

  return (
    <>
      <Text className={styles.hint}>{messages.glossaryHint}</Text>

      <h3 className={styles.subheading}>{messages.glossaryYourTerms}</h3>
      {terms.length === 0 ? (
        <Text className={styles.hint}>{messages.glossaryNoTerms}</Text>
      ) : (
        <ul className={styles.list} data-testid="glossary-terms" aria-label={messages.glossaryYourTerms}>
          {terms.map(([name, fixed]) => (
            <li key={name} className={styles.item}>
              <span>
                {name} → {fixed}
              </span>
              <Button size="small" appearance="subtle" disabled={disabled} onClick={() => removeTerm(name)}>
                {format(messages.glossaryRemove, { term: name })}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form className={styles.form} onSubmit={addTerm}>
        <Field label={messages.glossaryTerm}>
          <Input value={term} onChange={(_event, data) => setTerm(data.value)} disabled={disabled} data-testid="glossary-term" />
        </Field>
        <Field label={messages.glossaryTranslation}>
          <Input value={translation} onChange={(_event, data) => setTranslation(data.value)} disabled={disabled} data-testid="glossary-translation" />
        </Field>
        <Button type="submit" disabled={disabled || term.trim() === '' || translation.trim() === ''}>
          {messages.glossaryAddTerm}
        </Button>
      </form>

      <h3 className={styles.subheading}>{messages.glossaryYourKeep}</h3>
      {glossary.doNotTranslate.length === 0 ? (
        <Text className={styles.hint}>{messages.glossaryNoTerms}</Text>
      ) : (
        <ul className={styles.list} data-testid="glossary-keep" aria-label={messages.glossaryYourKeep}>
          {glossary.doNotTranslate.map((name) => (
            <li key={name} className={styles.item}>
              <span>{name}</span>
              <Button size="small" appearance="subtle" disabled={disabled} onClick={() => removeKeepTerm(name)}>
                {format(messages.glossaryRemove, { term: name })}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form className={styles.form} onSubmit={addKeepTerm}>
        <Field label={messages.glossaryKeepTerm}>
          <Input value={keepTerm} onChange={(_event, data) => setKeepTerm(data.value)} disabled={disabled} data-testid="glossary-keep-term" />
        </Field>
        <Button type="submit" disabled={disabled || keepTerm.trim() === ''}>
          {messages.glossaryAddKeep}
        </Button>
      </form>

      {(organisationTerms.length > 0 || organisationKeep.length > 0) && (
        <div data-testid="organisation-glossary">
          <h3 className={styles.subheading}>{messages.glossaryOrganisation}</h3>
          {organisationTerms.length > 0 && (
            <ul className={styles.list} aria-label={messages.glossaryOrganisation}>
              {organisationTerms.map(([name, fixed]) => (
                <li key={name}>
                  {name} → {fixed}
                </li>
              ))}
            </ul>
          )}
          {organisationKeep.length > 0 && <Text>{format(messages.glossaryOrganisationKeep, { terms: organisationKeep.join(', ') })}</Text>}
        </div>
      )}
      {organisation.state === 'failed' && (
        <Text className={styles.hint} data-testid="organisation-glossary-unavailable">
          {format(messages.glossaryOrganisationUnavailable, { code: organisation.code })}
        </Text>
      )}
    </>
  );
}
