"""Every human word bondkit shows in a workbook or a chart, in English and French.

One table, :data:`LABELS`, maps a key to ``(en, fr)``; :func:`t` fetches a label in a
language. Column headers of DataFrames live in :mod:`bondkit.columns` (use its
:func:`~bondkit.columns.label`); everything else a user reads is here, so a translation
is a one-line change and the exporters (:mod:`bondkit.excel`, :mod:`bondkit.charts`)
hold no words of their own. A few labels are templates with ``{named}`` fields that the
exporters fill with :meth:`str.format`; both languages use the same fields.

Typography follows Québec usage: a space before ":" and none before ";", amounts
written ``1 234,56 $``.

>>> t("sheet.summary", "fr")
'Sommaire'
>>> money_text(123456, "fr", "CAD"), money_text(123456, "en", "CAD")
('1\\xa0234,56\\xa0$', '$1,234.56')
"""

from __future__ import annotations

__all__ = [
    "LANGUAGES",
    "LABELS",
    "SHEETS",
    "GLOSSARY",
    "t",
    "check_language",
    "currency_symbol",
    "number_text",
    "money_text",
    "percent_text",
]

LANGUAGES: tuple[str, ...] = ("en", "fr")

_NBSP = "\u00a0"

#: the workbook's sheets, in order (keys of LABELS); names are at most 31 characters
SHEETS: tuple[str, ...] = (
    "sheet.summary",
    "sheet.b1",
    "sheet.b2",
    "sheet.b3_1",
    "sheet.b3_2",
    "sheet.b3_3",
    "sheet.b3_4",
    "sheet.b3_5",
    "sheet.b4",
    "sheet.b5",
)

#: glossary entries (keys of LABELS: "gloss.<x>" is the term, "glossdef.<x>" its definition)
GLOSSARY: tuple[str, ...] = (
    "community_bond",
    "issuer",
    "holder",
    "face_value",
    "simple_compound",
    "accrued_interest",
    "maturity",
    "term",
    "repayment",
    "early_redemption",
    "renewal",
    "sinking_fund",
    "reserve",
    "dscr",
    "debt_service",
    "campaign",
    "minimum_raise",
    "target",
    "cap",
    "npo",
    "coop",
    "amf",
    "investor_kit",
)

# fmt: off
LABELS: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- sheet names (<= 31 chars)
    "sheet.summary": ("Summary", "Sommaire"),
    "sheet.b1": ("B1 Overview", "L1 Tour d'horizon"),
    "sheet.b2": ("B2 Readiness", "L2 Prérequis"),
    "sheet.b3_1": ("B3.1 Planning", "L3.1 Planification"),
    "sheet.b3_2": ("B3.2 Design", "L3.2 Conception"),
    "sheet.b3_3": ("B3.3 Issue", "L3.3 Émission"),
    "sheet.b3_4": ("B3.4 Management", "L3.4 Gestion"),
    "sheet.b3_5": ("B3.5 Renewal-repayment", "L3.5 Renouvellement"),
    "sheet.b4": ("B4 Case studies", "L4 Études de cas"),
    "sheet.b5": ("B5 Glossary", "L5 Glossaire"),
    # ---------------------------------------------------------------- sheet titles
    "title.summary": ("Community bond issue: summary",
                      "Émission d'obligations communautaires : sommaire"),
    "title.b1": ("Booklet 1 – Overview: terms, what one bond pays, simple or compound interest, legal frame",
                 "Livret 1 – Tour d'horizon : modalités, ce que rapporte une obligation, intérêt simple ou composé, cadre légal"),
    "title.b2": ("Booklet 2 – Readiness grid", "Livret 2 – Grille d'analyse des prérequis"),
    "title.b3_1": ("Booklet 3, step 1 – Planning", "Livret 3, moment 1 – Planification"),
    "title.b3_2": ("Booklet 3, step 2 – Design: issue terms, costs, all-in cost of funds",
                   "Livret 3, moment 2 – Conception : modalités de l'émission, coûts, coût global du financement"),
    "title.b3_3": ("Booklet 3, step 3 – Issue: the subscription campaign",
                   "Livret 3, moment 3 – Émission : la campagne de souscription"),
    "title.b3_4": ("Booklet 3, step 4 – Management: payment schedules, debt service, payment calendar",
                   "Livret 3, moment 4 – Gestion : échéanciers, service de la dette, calendrier des paiements"),
    "title.b3_5": ("Booklet 3, step 5 – Renewal or repayment",
                   "Livret 3, moment 5 – Renouvellement ou remboursement"),
    "title.b4": ("Booklet 4 – Case studies", "Livret 4 – Études de cas"),
    "title.b5": ("Booklet 5 – Glossary, conventions and assumptions",
                 "Livret 5 – Glossaire, conventions et hypothèses"),
    # ---------------------------------------------------------------- common words
    "scenario": ("Scenario", "Scénario"),
    "issuer": ("Issuer", "Émetteur"),
    "legal_form": ("Legal form", "Forme juridique"),
    "jurisdiction": ("Jurisdiction", "Territoire de compétence"),
    "fiscal_year_end": ("Fiscal year end (MM-DD)", "Fin d'exercice (MM-JJ)"),
    "currency": ("Currency", "Devise"),
    "total": ("Total", "Total"),
    "all_series": ("All series", "Toutes les séries"),
    "series_n": ("Series {series}", "Série {series}"),
    "not_applicable": ("n/a", "s. o."),
    "not_solvable": ("cannot be computed", "non calculable"),
    "none": ("none", "aucun"),
    "years_n": ("{n} years", "{n} ans"),
    "maturity_given": ("maturity date given", "date d'échéance fixée"),
    "step_rate_item": ("from year {year}: {rate}", "à partir de l'année {year} : {rate}"),
    # ---------------------------------------------------------------- section headings
    "sec.key_figures": ("Key figures", "Chiffres clés"),
    "sec.series": ("Series", "Séries"),
    "sec.charts": ("Charts", "Graphiques"),
    "sec.inputs": ("Scenario inputs that concern this booklet", "Données du scénario qui concernent ce livret"),
    "sec.coming": ("What later versions of bondkit will add here", "Ce que les prochaines versions de bondkit ajouteront ici"),
    "sec.terms": ("Terms of each series", "Modalités de chaque série"),
    "sec.one_bond": ("What one bond pays its holder, and when", "Ce qu'une obligation rapporte à son détenteur, et quand"),
    "sec.simple_compound": ("Simple or compound interest: one bond at the series rate, held to maturity",
                            "Intérêt simple ou composé : une obligation au taux de la série, détenue jusqu'à l'échéance"),
    "sec.legal": ("Legal checks that apply", "Vérifications légales applicables"),
    "sec.issue_terms": ("Issue terms by series", "Modalités de l'émission par série"),
    "sec.costs": ("Costs of issuing", "Coûts de l'émission"),
    "sec.all_in": ("All-in cost of funds", "Coût global du financement"),
    "sec.issuer_flows": ("Issuer's dated cash flows (+ received, − paid)",
                         "Flux de trésorerie datés de l'émetteur (+ reçu, − payé)"),
    "sec.schedule": ("Payment schedule by series", "Échéancier des paiements par série"),
    "sec.fiscal": ("Debt service by fiscal year", "Service de la dette par exercice"),
    "sec.calendar": ("Payment calendar, all series", "Calendrier des paiements, toutes les séries"),
    "sec.glossary": ("Glossary", "Glossaire"),
    "sec.conventions": ("Conventions and assumptions used", "Conventions et hypothèses utilisées"),
    "sec.maturities": ("Maturities of each series", "Échéances de chaque série"),
    "sec.this_scenario": ("This scenario's key terms", "Modalités clés de ce scénario"),
    # ---------------------------------------------------------------- key figures
    "kf.total_principal": ("Total principal raised", "Capital total émis"),
    "kf.total_interest": ("Total interest paid", "Total des intérêts versés"),
    "kf.max_debt_service": ("Largest annual debt service (one fiscal year)",
                            "Service de la dette annuel maximal (un exercice)"),
    "kf.all_in_cost": ("Issuer's all-in cost of funds (annual effective)",
                       "Coût global du financement de l'émetteur (taux annuel effectif)"),
    "kf.upfront_costs": ("Upfront costs of issuing", "Frais d'émission initiaux"),
    "kf.annual_admin_total": ("Annual administration, total over the life",
                              "Frais de gestion annuels, total sur la durée"),
    "kf.first_issue": ("First issue date", "Première date d'émission"),
    "kf.last_maturity": ("Last maturity", "Dernière échéance"),
    "kf.series_count": ("Number of series", "Nombre de séries"),
    # ---------------------------------------------------------------- table headers
    "col.repayment": ("Repayment", "Remboursement"),
    "col.amount": ("Amount", "Montant"),
    "col.face_value": ("Face value", "Valeur nominale"),
    "col.bonds": ("Number of bonds", "Nombre d'obligations"),
    "col.issue_date": ("Issue date", "Date d'émission"),
    "col.term": ("Term", "Terme"),
    "col.maturity": ("Maturity", "Échéance"),
    "col.interest_kind": ("Interest at maturity", "Intérêt à l'échéance"),
    "col.frequency": ("Payment frequency", "Fréquence des versements"),
    "col.day_count": ("Day count", "Décompte des jours"),
    "col.business_day": ("Business days", "Jours ouvrables"),
    "col.io_years": ("Interest-only years", "Années d'intérêts seulement"),
    "col.step_rates": ("Step rates", "Taux par paliers"),
    "col.investor_yield": ("Investor yield", "Rendement pour l'investisseur"),
    "col.total_interest": ("Total interest", "Total des intérêts"),
    "col.total_payment": ("Total paid", "Total versé"),
    "col.wal": ("Weighted average life (years)", "Durée de vie moyenne pondérée (années)"),
    "col.duration": ("Macaulay duration (years)", "Duration de Macaulay (années)"),
    "col.date": ("Date", "Date"),
    "col.flow": ("Flow", "Flux"),
    "col.event": ("Event", "Événement"),
    "col.series_paying": ("Series paying", "Séries qui versent"),
    "col.bond_year": ("Bond year", "Année de l'obligation"),
    "col.simple_interest": ("Simple interest, accrued", "Intérêt simple cumulé"),
    "col.simple_value": ("Value, simple interest", "Valeur, intérêt simple"),
    "col.compound_interest": ("Compound interest, accrued", "Intérêt composé cumulé"),
    "col.compound_value": ("Value, compound interest", "Valeur, intérêt composé"),
    "col.difference": ("Compound minus simple", "Écart composé – simple"),
    "col.last_payment_date": ("Last payment date (adjusted)", "Date du dernier versement (ajustée)"),
    "col.final_principal": ("Principal repaid at maturity", "Capital remboursé à l'échéance"),
    "col.final_payment": ("Final payment", "Dernier versement"),
    "col.check": ("Condition", "Condition"),
    "col.status": ("This scenario", "Ce scénario"),
    "col.definition": ("Definition", "Définition"),
    "col.lang_en": ("English", "Anglais"),
    "col.lang_fr": ("French", "Français"),
    "col.item": ("Item", "Élément"),
    "col.value": ("Value", "Valeur"),
    # ---------------------------------------------------------------- vocabulary: repayment
    "repayment.bullet": ("Bullet: interest every period, principal at maturity",
                         "In fine : intérêts à chaque période, capital à l'échéance"),
    "repayment.accumulating": ("Accumulating: principal and interest all paid at maturity",
                               "Capitalisation : capital et intérêts versés à l'échéance"),
    "repayment.level-payment": ("Level payment: equal payments of interest and principal",
                                "Versements constants : paiements égaux d'intérêts et de capital"),
    "repayment.level-principal": ("Level principal: equal principal instalments plus interest",
                                  "Amortissement constant : tranches égales de capital, plus les intérêts"),
    "repayment_short.bullet": ("Bullet", "In fine"),
    "repayment_short.accumulating": ("Accumulating", "Capitalisation"),
    "repayment_short.level-payment": ("Level payment", "Versements constants"),
    "repayment_short.level-principal": ("Level principal", "Amortissement constant"),
    # ---------------------------------------------------------------- vocabulary: interest, frequency
    "interest.simple": ("Simple interest", "Intérêt simple"),
    "interest.compound": ("Compound interest, capitalised each period",
                          "Intérêt composé, capitalisé à chaque période"),
    "frequency.annual": ("Annual (1 per year)", "Annuelle (1 par année)"),
    "frequency.semi-annual": ("Semi-annual (2 per year)", "Semestrielle (2 par année)"),
    "frequency.quarterly": ("Quarterly (4 per year)", "Trimestrielle (4 par année)"),
    "frequency.monthly": ("Monthly (12 per year)", "Mensuelle (12 par année)"),
    # ---------------------------------------------------------------- vocabulary: day counts
    "daycount.30/360": ("30/360 bond basis: 30-day months, 360-day year",
                        "30/360 base obligataire : mois de 30 jours, année de 360 jours"),
    "daycount.30E/360": ("30E/360 Eurobond basis: 30-day months, 360-day year",
                         "30E/360 base euro-obligataire : mois de 30 jours, année de 360 jours"),
    "daycount.ACT/365F": ("ACT/365F: actual days / 365", "ACT/365F : jours réels / 365"),
    "daycount.ACT/ACT": ("ACT/ACT (ISDA): actual days / days in the year",
                         "ACT/ACT (ISDA) : jours réels / jours de l'année"),
    # ---------------------------------------------------------------- vocabulary: business days
    "businessday.unadjusted": ("Unadjusted: a date stays put even on a weekend",
                               "Non ajustée : une date est conservée même une fin de semaine"),
    "businessday.following": ("Following: a weekend date moves to the next Monday",
                              "Jour ouvrable suivant : une date de fin de semaine passe au lundi"),
    "businessday.modified-following": ("Modified following: the next business day, or the previous one if the month would change",
                                       "Jour ouvrable suivant modifié : le jour ouvrable suivant, ou le précédent si le mois changerait"),
    # ---------------------------------------------------------------- vocabulary: legal forms
    "legal_form.npo": ("Non-profit organisation", "Organisme à but non lucratif (OBNL)"),
    "legal_form.coop": ("Co-operative", "Coopérative"),
    "legal_form.other": ("Other", "Autre"),
    # ---------------------------------------------------------------- vocabulary: issuer's flows
    "flow.proceeds": ("Proceeds of the issue", "Produit de l'émission"),
    "flow.upfront_costs": ("Upfront costs", "Frais initiaux"),
    "flow.annual_admin": ("Annual administration", "Frais de gestion annuels"),
    "flow.debt_service": ("Debt service", "Service de la dette"),
    "flow.net": ("Net: received minus paid", "Net : reçu moins payé"),
    # ---------------------------------------------------------------- booklet 1
    "one_bond.header": ("Series {series}: one bond of {face}", "Série {series} : une obligation de {face}"),
    "one_bond.purchase": ("Purchase of one bond", "Achat d'une obligation"),
    "one_bond.receipt": ("Payment received", "Versement reçu"),
    "one_bond.sentence": ("Series {series}: one bond bought for {face} on {issue} pays {count} payment(s) totalling {total}, the last on {last}; annual yield {yield_}.",
                          "Série {series} : une obligation achetée {face} le {issue} donne {count} versement(s) totalisant {total}, le dernier le {last}; rendement annuel {yield_}."),
    "sc.note": ("Value of one bond at each anniversary if nothing were paid before maturity: simple interest on the face value only, or compound interest capitalised at the series frequency.",
                "Valeur d'une obligation à chaque anniversaire si rien n'était versé avant l'échéance : intérêt simple sur la seule valeur nominale, ou intérêt composé capitalisé à la fréquence de la série."),
    "legal.rule": ("Québec non-profit exemption (Securities Act, s. 3(3)): a non-profit may issue bonds without a prospectus, provided no one is paid a commission to sell them.",
                   "Dispense des OBNL au Québec (Loi sur les valeurs mobilières, art. 3(3)) : un organisme à but non lucratif peut émettre des obligations sans prospectus, pourvu qu'aucune commission ne soit versée pour les vendre."),
    "legal.cond_npo": ("The issuer is a non-profit", "L'émetteur est un organisme à but non lucratif"),
    "legal.cond_commission": ("No commission is paid on sales", "Aucune commission n'est versée sur les ventes"),
    "legal.cond_qc": ("The issuer is in Québec", "L'émetteur est au Québec"),
    "legal.yes": ("Yes", "Oui"),
    "legal.no": ("No", "Non"),
    "legal.to_confirm": ("To confirm: not recorded in the scenario", "À confirmer : absent du scénario"),
    "legal.applies": ("The exemption can apply to this issue, provided no commission is paid on sales.",
                      "La dispense peut s'appliquer à cette émission, pourvu qu'aucune commission ne soit versée sur les ventes."),
    "legal.does_not_apply": ("The exemption does not apply as the scenario stands: another exemption (offering memorandum, crowdfunding) or a prospectus is needed.",
                             "La dispense ne s'applique pas au scénario tel qu'il est : il faut une autre dispense (notice d'offre, financement participatif) ou un prospectus."),
    "legal.bylaw": ("The board also needs a borrowing by-law approved by two thirds of the members (Companies Act, Part III).",
                    "Le conseil doit aussi faire approuver un règlement d'emprunt par les deux tiers des membres (Loi sur les compagnies, partie III)."),
    "legal.disclaimer": ("These checks are parameters of a model, not legal advice; rules change: confirm with a lawyer.",
                         "Ces vérifications sont des paramètres d'un modèle, pas un avis juridique; les règles changent : à confirmer avec un juriste."),
    # ---------------------------------------------------------------- booklet 3.2
    "costs.upfront": ("Upfront costs, fixed part", "Frais initiaux, partie fixe"),
    "costs.upfront_rate": ("Upfront costs, share of the principal", "Frais initiaux, proportion du capital"),
    "costs.upfront_total": ("Upfront costs, total (paid at the first issue)",
                            "Frais initiaux, total (payés à la première émission)"),
    "costs.annual_admin": ("Annual administration, per year", "Frais de gestion, par année"),
    "all_in.explain": ("The annual effective rate that equates the net proceeds (amounts minus upfront costs) with everything paid out (debt service and annual administration), on dated flows with t = days / 365, as Excel's XIRR.",
                       "Le taux annuel effectif qui égalise le produit net (montants moins frais initiaux) et tout ce qui est payé (service de la dette et frais de gestion), sur les flux datés avec t = jours / 365, comme le TRI.PAIEMENTS d'Excel."),
    # ---------------------------------------------------------------- what later versions will add
    "coming.b2": ("The readiness grid: each criterion with its value, threshold and status. Financial capacity: debt service coverage, reserve, repayment at maturity, probability of a shortfall. Community capacity: expected raise against the need, chance of reaching the minimum. Organisational answers given in the scenario.",
                  "La grille des prérequis : chaque critère avec sa valeur, son seuil et son statut. Capacité financière : couverture du service de la dette, réserve, remboursement à l'échéance, probabilité d'un manque. Capacité de la communauté : montant attendu par rapport au besoin, chance d'atteindre le seuil minimal. Réponses organisationnelles données dans le scénario."),
    "coming.b3_1": ("The need, the sources and uses of funds (capital stack: bonds, mortgage, grants, equity), the timeline and the budget of the issue.",
                    "Le besoin, les sources et utilisations des fonds (montage financier : obligations, hypothèque, subventions, fonds propres), l'échéancier et le budget de l'émission."),
    "coming.b3_2": ("Issue terms as live formulas, so that changing a rate or an amount recomputes the sheet.",
                    "Les modalités de l'émission en formules actives : changer un taux ou un montant recalculera la feuille."),
    "coming.b3_3": ("The subscription campaign: community funnel, subscriptions over time, allocation when the issue is over-subscribed, distribution of outcomes, campaign costs.",
                    "La campagne de souscription : entonnoir de la communauté, souscriptions dans le temps, répartition en cas de sursouscription, distribution des résultats, coûts de la campagne."),
    "coming.b3_4": ("Debt service coverage by the enterprise's cash flows, and the sinking fund or reserve built to repay principal at maturity.",
                    "La couverture du service de la dette par les flux de l'entreprise, et le fonds d'amortissement ou la réserve constitués pour rembourser le capital à l'échéance."),
    "coming.b3_5": ("Rollover assumptions at maturity, early-redemption risk, the liquidity need and the recommended reserve.",
                    "Les hypothèses de renouvellement à l'échéance, le risque de rachat avant terme, le besoin de liquidités et la réserve recommandée."),
    "coming.b4": ("This scenario beside public reference issues (Cinéma du Parc, Le Grand Costumier, Centre for Social Innovation…) and beside the other options compared.",
                  "Ce scénario à côté d'émissions de référence publiques (Cinéma du Parc, Le Grand Costumier, Centre for Social Innovation…) et des autres options comparées."),
    # ---------------------------------------------------------------- booklet 5: conventions
    "conv.money": ("Amounts", "Montants"),
    "conv.money_value": ("Computed exactly in whole cents; shown in {currency}.",
                         "Calculés exactement en cents entiers; affichés en {currency}."),
    "conv.rounding": ("Rounding", "Arrondi"),
    "conv.rounding_value": ("Half up to the cent; the final payment absorbs the residue, so the principal repaid equals the amount exactly.",
                            "Au cent près, la demie arrondie vers le haut; le dernier versement absorbe le résidu, de sorte que le capital remboursé égale exactement le montant."),
    "conv.dates": ("Payment dates", "Dates de paiement"),
    "conv.dates_value": ("Generated backward from maturity (an odd period is a short first period), the day clamped to the month's end.",
                         "Calculées à rebours depuis l'échéance (une période incomplète est une première période courte), le jour ramené à la fin du mois au besoin."),
    "conv.interest": ("Interest of a period", "Intérêts d'une période"),
    "conv.interest_value": ("Balance × annual rate × year fraction under the series' day count.",
                            "Solde × taux annuel × fraction d'année selon le décompte des jours de la série."),
    "conv.rates": ("Yields and cost of funds", "Rendements et coût du financement"),
    "conv.rates_value": ("Annual effective rates on dated flows, t = days / 365, as Excel's XIRR.",
                         "Taux annuels effectifs sur des flux datés, t = jours / 365, comme le TRI.PAIEMENTS d'Excel."),
    "conv.fiscal": ("Fiscal years", "Exercices"),
    "conv.fiscal_value": ("Named by the calendar year in which they end; fiscal year end {fye} (MM-DD).",
                          "Désignés par l'année civile où ils se terminent; fin d'exercice {fye} (MM-JJ)."),
    "conv.outstanding": ("Principal outstanding", "Capital restant dû"),
    "conv.outstanding_value": ("Principal only: interest accrued on accumulating series is not included.",
                               "Capital seulement : les intérêts capitalisés des séries à capitalisation ne sont pas inclus."),
    "conv.seed": ("Random seed", "Germe aléatoire"),
    "conv.version": ("bondkit version", "Version de bondkit"),
    "conv.sha": ("SHA-256 of the scenario file", "SHA-256 du fichier de scénario"),
    # ---------------------------------------------------------------- charts
    "chart.debt_service.title": ("Debt service by fiscal year", "Service de la dette par exercice"),
    "chart.balance.title": ("Principal outstanding by series", "Capital restant dû par série"),
    "chart.amount_axis": ("Amount ({currency})", "Montant ({currency})"),
    "chart.date_axis": ("Date", "Date"),
    "chart.interest_of": ("{series} – interest", "{series} – intérêts"),
    "chart.principal_of": ("{series} – principal", "{series} – capital"),
    "chart.total_outstanding": ("Total outstanding", "Total restant dû"),
    # ---------------------------------------------------------------- glossary (domain.md)
    "gloss.community_bond": ("community bond", "obligation communautaire"),
    "glossdef.community_bond": ("A loan that a community makes to a social-economy enterprise, in bonds of a fixed face value, rate and term.",
                                "Prêt qu'une communauté consent à une entreprise d'économie sociale, en obligations de valeur nominale, taux et terme fixés."),
    "gloss.issuer": ("issuer", "émetteur"),
    "glossdef.issuer": ("The enterprise that borrows by issuing the bonds.", "L'entreprise qui emprunte en émettant les obligations."),
    "gloss.holder": ("subscriber / holder", "souscripteur / détenteur"),
    "glossdef.holder": ("The person who buys a bond (subscriber) and then holds it (holder).",
                        "La personne qui achète une obligation (souscripteur) puis la détient (détenteur)."),
    "gloss.face_value": ("face value", "valeur nominale"),
    "glossdef.face_value": ("The price of one bond, repaid at maturity.", "Le prix d'une obligation, remboursé à l'échéance."),
    "gloss.simple_compound": ("simple / compound interest", "taux d'intérêt simple / composé"),
    "glossdef.simple_compound": ("Simple: interest on the face value only. Compound: interest also earns interest once capitalised.",
                                 "Simple : intérêts sur la seule valeur nominale. Composé : les intérêts capitalisés portent eux-mêmes intérêt."),
    "gloss.accrued_interest": ("accrued (capitalised) interest", "intérêts capitalisés"),
    "glossdef.accrued_interest": ("Interest earned but not yet paid, added to what will be paid later.",
                                  "Intérêts gagnés mais pas encore versés, ajoutés à ce qui sera versé plus tard."),
    "gloss.maturity": ("maturity", "échéance"),
    "glossdef.maturity": ("The date the principal is due.", "La date où le capital doit être remboursé."),
    "gloss.term": ("term", "terme"),
    "glossdef.term": ("The time from issue to maturity.", "La durée entre l'émission et l'échéance."),
    "gloss.repayment": ("repayment", "remboursement"),
    "glossdef.repayment": ("Paying back the principal, at maturity or in instalments.",
                           "Le retour du capital, à l'échéance ou par versements."),
    "gloss.early_redemption": ("early redemption", "rachat avant terme"),
    "glossdef.early_redemption": ("Repaying a bond before its maturity, at the holder's or the issuer's request.",
                                  "Le remboursement d'une obligation avant son échéance, à la demande du détenteur ou de l'émetteur."),
    "gloss.renewal": ("renewal (rollover)", "renouvellement"),
    "glossdef.renewal": ("A holder reinvests at maturity in a new bond instead of being repaid.",
                         "Le détenteur réinvestit à l'échéance dans une nouvelle obligation au lieu d'être remboursé."),
    "gloss.sinking_fund": ("sinking fund", "fonds d'amortissement"),
    "glossdef.sinking_fund": ("Money set aside each year to repay the principal at maturity.",
                              "Somme mise de côté chaque année pour rembourser le capital à l'échéance."),
    "gloss.reserve": ("reserve", "réserve"),
    "glossdef.reserve": ("Cash kept available to meet payments or redemptions.",
                         "Liquidités gardées disponibles pour faire face aux versements ou aux rachats."),
    "gloss.dscr": ("debt service coverage ratio", "ratio de couverture du service de la dette"),
    "glossdef.dscr": ("Cash available for debt service divided by the debt service of the year.",
                      "Liquidités disponibles pour le service de la dette divisées par le service de la dette de l'année."),
    "gloss.debt_service": ("debt service", "service de la dette"),
    "glossdef.debt_service": ("Interest plus principal paid in a period.", "Intérêts plus capital versés au cours d'une période."),
    "gloss.campaign": ("subscription campaign", "campagne de souscription"),
    "glossdef.campaign": ("The period during which the bonds are offered and sold.",
                          "La période pendant laquelle les obligations sont offertes et vendues."),
    "gloss.minimum_raise": ("minimum raise", "seuil minimal"),
    "glossdef.minimum_raise": ("The amount below which the issue does not go ahead and subscriptions are refunded.",
                               "Le montant sous lequel l'émission n'a pas lieu et les souscriptions sont remboursées."),
    "gloss.target": ("target", "objectif"),
    "glossdef.target": ("The amount the issuer aims to raise.", "Le montant que l'émetteur vise à recueillir."),
    "gloss.cap": ("cap", "plafond"),
    "glossdef.cap": ("A maximum: on the issue, or on what one investor may buy.",
                     "Un maximum : pour l'émission, ou pour ce qu'un investisseur peut acheter."),
    "gloss.npo": ("non-profit", "OBNL"),
    "glossdef.npo": ("Non-profit organisation (organisme à but non lucratif).",
                     "Organisme à but non lucratif."),
    "gloss.coop": ("co-operative", "coopérative"),
    "glossdef.coop": ("An enterprise owned and governed by its members.",
                      "Une entreprise détenue et gouvernée par ses membres."),
    "gloss.amf": ("Québec securities regulator", "AMF"),
    "glossdef.amf": ("Autorité des marchés financiers, the Québec securities regulator.",
                     "Autorité des marchés financiers, l'organisme de réglementation des valeurs mobilières du Québec."),
    "gloss.investor_kit": ("investor kit", "trousse de l'investisseur"),
    "glossdef.investor_kit": ("The documents given to potential investors: terms, risks, how to subscribe.",
                              "Les documents remis aux investisseurs potentiels : modalités, risques, façon de souscrire."),
}
# fmt: on

#: symbols shown for a few currencies; any other is shown by its code
_CURRENCY_SYMBOLS: dict[str, str] = {"CAD": "$", "USD": "US$", "EUR": "€", "GBP": "£"}


def check_language(lang: str) -> str:
    """``lang`` itself when it is a language bondkit writes in; ValueError otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    return lang


def t(key: str, lang: str) -> str:
    """The label of ``key`` in ``lang`` (``"en"`` or ``"fr"``).

    >>> t("sheet.b3_4", "en")
    'B3.4 Management'
    """
    check_language(lang)
    try:
        en, fr = LABELS[key]
    except KeyError:
        raise KeyError(f"no label {key!r} in bondkit.labels.LABELS") from None
    return fr if lang == "fr" else en


def currency_symbol(currency: str) -> str:
    """The symbol shown for a currency code (``"CAD"`` -> ``"$"``); unknown codes as is."""
    return _CURRENCY_SYMBOLS.get(currency, currency)


def number_text(x: float, lang: str, decimals: int = 0) -> str:
    """A number with thousands separators in the language's style.

    >>> number_text(1234567.891, "fr", 2), number_text(1234567.891, "en", 2)
    ('1\\xa0234\\xa0567,89', '1,234,567.89')
    """
    s = f"{x:,.{decimals}f}"
    if lang == "fr":
        s = s.replace(",", _NBSP).replace(".", ",")
    return s


def money_text(cents: int, lang: str, currency: str = "CAD") -> str:
    """Cents as an amount of money written for a reader (``"1 234,56 $"``, ``"$1,234.56"``)."""
    sign = "-" if cents < 0 else ""
    body = number_text(abs(int(cents)) / 100, lang, 2)
    sym = currency_symbol(currency)
    if lang == "fr":
        return f"{sign}{body}{_NBSP}{sym}"
    return f"{sign}{sym}{body}" if len(sym) <= 3 else f"{sign}{body} {sym}"


def percent_text(x: float | None, lang: str, decimals: int = 2) -> str:
    """A fraction as a percentage (``0.0475`` -> ``"4,75 %"`` in French, ``"4.75%"`` in English)."""
    if x is None:
        return t("not_solvable", lang)
    body = number_text(float(x) * 100, lang, decimals)
    return f"{body}{_NBSP}%" if lang == "fr" else f"{body}%"
