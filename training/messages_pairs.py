# ruff: noqa: E501
"""The labelled message-sentence pairs of ``tests/data/messages/pairs.jsonl``, written here by hand.

Each message is written as an analyst tracking a story would write it; each sentence is quoted
from the ECB+ corpus (Cybulska & Vossen, LREC 2014; CC BY 3.0) and named by its document and
paragraph (``1_9ecb.xml#6``), or, where the corpus has no such sentence (negations and
contradictions are rare in news), made by editing the named corpus sentence (``edited:``).
``kind``: ``paraphrase`` (carries the message), ``topic`` (same story and words, another claim),
``actor`` (the same action by or on someone else), ``negation`` (the message negated, or only
hoped for / conditional) and ``contradiction`` (says the opposite). Only paraphrases are carried.
``split`` is by message: thresholds and weights are chosen on ``dev``, reported on ``held-out``.

Run ``python training/messages_pairs.py`` to rewrite the JSONL from this file.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "messages" / "pairs.jsonl"
FRESH_OUT = OUT.with_name("fresh.jsonl")
FRESH2_OUT = OUT.with_name("fresh2.jsonl")

P, T, A, N, C = "paraphrase", "topic", "actor", "negation", "contradiction"

# message, split, [(kind, source, sentence), ...]
MESSAGES = [
    ("Tara Reid entered rehab", "dev", [
        (P, "1_2ecb.xml#0", "A publicist says Tara Reid has checked herself into rehab."),
        (P, "1_9ecb.xml#6", "Actress Tara Reid entered well-known Malibu rehab center Promises Treatment Center, "
                            "reportedly of her own desire."),
        (P, "1_11ecb.xml#0", "Tara Reid has entered a rehab program, the American Pie star's rep confirmed to People "
                             "and Us Weekly on Friday."),
        (P, "1_12ecb.xml#2", "Tara Reid has checked into Promises Treatment Center, a prominent rehab clinic in Los "
                             "Angeles."),
        (P, "1_14ecb.xml#0", "Tara Reid Finally Checks Into Rehab For Undisclosed Reasons"),
        (T, "1_1ecb.xml#0", "Another day in Hollywood; another star in rehab."),
        (T, "1_13ecb.xml#10", "Rehab has been calling her name loud and clear for years."),
        (T, "1_9ecb.xml#4", "Hey, if you're going to rehab anyway, might as well get your ego stroked, too."),
        (A, "1_13ecbplus.xml#0", "Lindsay Lohan checks into rehab to begin 90 - day stint, lawyer says"),
        (A, "1_11ecbplus.xml#2", "Actress Lindsay Lohan finally checked into court - mandated rehab at the Betty Ford "
                                 "Center late Thursday, after hiring former lawyer Shawn Holley for help."),
        (N, "edited:1_2ecb.xml#0", "A publicist says Tara Reid has not checked herself into rehab."),
        (N, "edited:1_11ecb.xml#0", "Tara Reid did not enter a rehab program, the American Pie star's rep told People "
                                    "on Friday."),
        (C, "edited:1_11ecb.xml#0", "Tara Reid's rep denied reports that the American Pie star had entered rehab."),
    ]),
    ("Lindsay Lohan left Betty Ford", "held-out", [
        (P, "1_1ecbplus.xml#0", "Lindsay Lohan Leaves Betty Ford, Checks Into Malibu Rehab"),
        (P, "1_1ecbplus.xml#4", "Lindsay Lohan has left the Betty Ford Center and is moving to a rehab facility in "
                                "Malibu, Calif., Access Hollywood has confirmed."),
        (P, "1_3ecbplus.xml#4", "The actress has left the Betty Ford Centre and gone to Malibu's Cliffside resort."),
        (T, "1_6ecbplus.xml#0", "Lindsay Lohan Checks Into Rehab at Betty Ford Center"),
        (T, "1_9ecbplus.xml#2", "After she abruptly left a rehab facility in Newport Beach on Thursday, Lindsay Lohan "
                                "has checked into the Betty Ford Center in Rancho Mirage."),
        (T, "1_1ecbplus.xml#14", "The actress checked into the Betty Ford Center in May as part of a plea deal stemming "
                                 "from her June 2012 car accident case."),
        (T, "1_8ecbplus.xml#8", "Heller told a judge during a hearing Thursday morning that Lohan had checked in to the "
                                "Morningside Recovery rehab facility, but the starlet left it after a few minutes."),
        (T, "1_1ecbplus.xml#10", "“ Lindsay is grateful for the treatment she received at the Betty Ford Center."),
        (A, "edited:1_1ecbplus.xml#4", "Tara Reid has left the Betty Ford Center and is moving to a rehab facility in "
                                       "Malibu."),
        (N, "edited:1_1ecbplus.xml#4", "Lindsay Lohan has not left the Betty Ford Center, Access Hollywood has "
                                       "confirmed."),
        (C, "1_8ecbplus.xml#18", "\"Lindsay never checked into Morningside but is back at Betty Ford."),
        (C, "edited:1_1ecbplus.xml#4", "Lindsay Lohan is staying at the Betty Ford Center and will not move to "
                                       "Malibu."),
    ]),
    ("Ellen DeGeneres will host the Oscars", "dev", [
        (P, "2_1ecbplus.xml#0", "Ellen DeGeneres To Host 86th Oscars"),
        (P, "2_1ecbplus.xml#4", "Ellen DeGeneres just tweeted she will be hosting the Oscars this year."),
        (P, "2_1ecbplus.xml#26", "Television icon Ellen DeGeneres will return to host the Oscars® for a second time, "
                                 "producers Craig Zadan and Neil Meron announced today."),
        (P, "2_1ecbplus.xml#30", "“ We are thrilled to have Ellen DeGeneres host the Oscars, ” said Zadan and Meron."),
        (P, "2_1ecbplus.xml#38", "“ It is an honor to welcome back Ellen DeGeneres as the host of the biggest "
                                 "entertainment celebration of the year, ” said Paul Lee, president, ABC "
                                 "Entertainment Group."),
        (T, "2_1ecbplus.xml#40", "DeGeneres hosted the 79th Academy Awards in 2007, for which she received a "
                                 "Primetime Emmy® nomination for “ Outstanding Individual Performance in a Variety or "
                                 "Music Program. ”"),
        (T, "2_1ecbplus.xml#22", "She also hosted the Grammys in 1996 and 1997."),
        (T, "2_1ecbplus.xml#20", "She returned to host the Emmys in 2005, just three weeks after Hurricane Katrina."),
        (A, "2_2ecb.xml#8", "On Friday, the organization behind the Academy Awards named Australian actor Hugh Jackman "
                            "as the host of February's annual show."),
        (A, "2_1ecb.xml#0", "World's sexiest man' Hugh Jackman has been roped in to host the 81st annual Academy "
                            "Awards ceremony"),
        (N, "edited:2_1ecbplus.xml#4", "Ellen DeGeneres just tweeted she will not be hosting the Oscars this year."),
        (C, "edited:2_1ecbplus.xml#26", "Ellen DeGeneres turned down the producers' offer to host the Oscars."),
    ]),
    ("Maurice Cheeks was fired as coach of the 76ers", "held-out", [
        (P, "5_1ecb.xml#0", "Maurice Cheeks is out as Philadelphia 76ers head coach."),
        (P, "5_1ecb.xml#4", "Stefanski fired Cheeks with the Sixers floundering at 9-14 and in the basement of the "
                            "Eastern Conference's Atlantic Division."),
        (P, "5_2ecb.xml#0", "Maurice Cheeks was fired Saturday as coach of the Philadelphia 76ers, who are slumping "
                            "at 9-14 a year after making the playoffs."),
        (P, "5_2ecb.xml#12", "Stefanski had given Cheeks two contract extensions in the past season, but the slow "
                             "start was enough to cost him his job."),
        (T, "5_1ecbplus.xml#0", "Cheeks returns as Sixers' fixer Jim O'Brien was shown the door after a single "
                                "tumultuous season."),
        (T, "5_1ecbplus.xml#12", "Cheeks was a second - round draft choice of the 76ers in 1978 and played for 11 "
                                 "seasons with the team."),
        (T, "5_2ecb.xml#6", "Team president Ed Stefanski said he met with Cheeks, describing the former 76er star as "
                            "a “gentleman throughout” and a “class act.”"),
        (T, "5_1ecbplus.xml#8", "Cheeks, who was fired March 2 as head coach of the Portland Trail Blazers, is the "
                                "fourth head coach since King took over as the team's president and general manager "
                                "on May 26, 2003."),
        (A, "5_1ecbplus.xml#32", "King said he decided on Saturday to fire O'Brien, and then checked with Cheeks to "
                                 "see if he'd be interested in the job."),
        (A, "5_2ecbplus.xml#6", "In a surprising move nearly three weeks following the end of their season, the "
                                "Sixers fired Jim O'Brien on Monday after one season as coach and replaced him with "
                                "Cheeks, one of the most popular players in franchise history."),
        (N, "edited:5_2ecb.xml#0", "Maurice Cheeks was not fired as coach of the Philadelphia 76ers, team president "
                                   "Ed Stefanski said."),
        (C, "edited:5_2ecb.xml#12", "Stefanski gave Cheeks another contract extension and kept him as head coach of "
                                    "the 76ers."),
    ]),
    ("Matt Smith will play Doctor Who", "dev", [
        (P, "39_1ecb.xml#0", "The BBC says little-known actor Matt Smith will take over the title role in the "
                             "long-running sci-fi series “Doctor Who.”"),
        (P, "39_2ecb.xml#0", "With young British actor Matt Smith stepping into Doctor Who's title role, Wired.com "
                             "takes a look back at the 10 actors who have previously portrayed sci-fi TV's most "
                             "enduring hero."),
        (P, "39_3ecb.xml#0", "Tennant has now been voted one of the most popular Doctors of all time and is handing "
                             "his sonic screwdriver over to actor Matt Smith."),
        (A, "39_1ecbplus.xml#4", "Actor Peter Capaldi has been announced as the new star of BBC sci - fi series "
                                 "Doctor Who."),
        (A, "39_1ecbplus.xml#2", "Doctor Who: Peter Capaldi revealed as 12th Doctor"),
        (T, "39_1ecbplus.xml#6", "The 55 - year - old Glasgow - born star will be the 12th actor to play the Doctor, "
                                 "replacing out - going lead Matt Smith."),
        (T, "39_1ecbplus.xml#46", "Out - going Doctor Matt Smith welcomed Capaldi's casting, and pre - recorded a "
                                  "message for the new Time Lord."),
        (T, "39_2ecbplus.xml#6", "Doctor Who boss Steven Moffat has revealed that Peter Capaldi was the only name "
                                 "considered to take over from Matt Smith."),
        (N, "edited:39_1ecb.xml#0", "The BBC says actor Matt Smith will not take over the title role in the "
                                    "long-running sci-fi series “Doctor Who.”"),
        (C, "edited:39_1ecb.xml#0", "The BBC denied that actor Matt Smith would take over the title role in "
                                    "“Doctor Who.”"),
    ]),
    ("HP is in talks to buy EDS", "held-out", [
        (P, "44_2ecb.xml#0", "Hewlett-Packard is negotiating to buy technology services provider Electronic Data "
                             "Systems in a deal that could help the world's largest personal computer maker snap up "
                             "more data management and consulting contracts."),
        (P, "44_2ecb.xml#2", "Palo Alto-based HP and Plano, Texas-based EDS confirmed the talks yesterday shortly "
                             "after The Wall Street Journal reported a deal could be reached as early as today."),
        (A, "44_1ecbplus.xml#4", "HP has signed a definitive agreement to acquire EYP Mission Critical Facilities "
                                 "Inc. (EYP MCF), one of the leading data center design and engineering firms."),
        (A, "44_1ecbplus.xml#0", "HP Acquires EYP Mission Critical Facilities"),
        (T, "44_2ecb.xml#10", "HP shares dropped $2.49, more than 5 percent, to close at $46.64 as investors fretted "
                              "over the deal's logistics."),
        (T, "44_2ecb.xml#48", "Perot sold EDS to General Motors for $2.5 billion in 1984 and eventually became so "
                              "disillusioned with how that deal worked out that he sold his remaining EDS shares to "
                              "the carmaker so he could start a rival service bearing his name."),
        (T, "44_2ecb.xml#42", "The Texas company has been linked with possible deals previously, including a reported "
                              "interest by Deutsche Telekom late last year and Dell before that."),
        (T, "44_1ecb.xml#28", "For example, EDS has largely standardized on management software from CA."),
        (T, "44_2ecb.xml#20", "If the deal is completed, it would be HP's biggest acquisition since it bought Compaq "
                              "Computer Corp. for $19 billion in 2002."),
        (N, "edited:44_2ecb.xml#0", "Hewlett-Packard is not negotiating to buy technology services provider "
                                    "Electronic Data Systems, a spokesman said."),
        (C, "edited:44_2ecb.xml#2", "HP and EDS denied reports of talks yesterday after The Wall Street Journal said "
                                    "a deal could be reached."),
    ]),
    ("The Saints placed Reggie Bush on injured reserve", "dev", [
        (P, "25_1ecb.xml#0", "Saints place Bush on IR"),
        (P, "25_1ecb.xml#2", "The New Orleans Saints have placed running back Reggie Bush on injured reserve because "
                             "of a sprained knee."),
        (P, "25_2ecb.xml#4", "The knee was examined over the weekend and coach Sean Payton said at practice on "
                             "Wednesday that the team decided to put Bush on injured reserve."),
        (A, "25_3ecbplus.xml#2", "Saints place RB Pierre Thomas on injured reserve"),
        (A, "25_3ecbplus.xml#6", "Coach Sean Payton announced Wednesday that Pierre Thomas was placed on IR."),
        (T, "25_2ecb.xml#10", "Bush rushed for 404 yards and two touchdowns, caught 52 passes for 440 yards and four "
                              "TDs, and scored three touchdowns on punt runbacks this season."),
        (T, "25_3ecbplus.xml#12", "Ivory made the most of his opportunities with Thomas and Reggie Bush (broken tibia) "
                                  "missing time with injuries."),
        (T, "25_5ecb.xml#0", "In case you had any doubts whether or not Pierre Thomas (left) would get more carries "
                             "than Reggie Bush, you can now have full faith in Thomas."),
        (N, "25_2ecb.xml#6", "Payton said the Saints, who were eliminated from playoff contention over the weekend, "
                             "would not have placed Bush on injured reserve if they were still fighting to reach the "
                             "postseason."),
        (N, "edited:25_1ecb.xml#2", "The New Orleans Saints have not placed running back Reggie Bush on injured "
                                    "reserve despite a sprained knee."),
        (C, "edited:25_2ecb.xml#4", "Coach Sean Payton said the team decided to keep Bush off injured reserve."),
    ]),
    ("Scott Peterson was found guilty of murder", "held-out", [
        (P, "45_1ecb.xml#0", "Scott Peterson has been found guilty of first-degree murder, a verdict that means he "
                             "could be executed if these same jurors vote as the “conscience of their community” "
                             "that he deserves to die for his crimes."),
        (P, "45_2ecb.xml#0", "On November 12, a jury in Redwood City, California, convicted Scott Peterson of "
                             "first-degree murder in the death of his wife, 23-year-old Laci, and second-degree "
                             "murder in the death of his 8-month-old unborn son, whom the couple were planning to "
                             "name Conner."),
        (P, "45_4ecb.xml#2", "The jury convicted the 32-year-old Peterson on Nov. 12 of first-degree murder for "
                             "killing his wife and second-degree murder for the death of his unborn son."),
        (P, "45_5ecb.xml#0", "Peterson, 32, was convicted of two counts of murder in the deaths of his wife, Laci, "
                             "and her fetus."),
        (A, "45_1ecbplus.xml#4", "A Spiro man was found guilty of two counts of first - degree murder Thursday evening "
                                 "in the 2012 shooting death of a Fort Smith woman and the subsequent death of her 8 - "
                                 "to 12 - week - old fetus."),
        (A, "45_2ecbplus.xml#0", "Okla. man guilty of killing pregnant girlfriend"),
        (N, "45_3ecbplus.xml#4", "An Oklahoma man has pleaded not guilty to two first - degree murder charges for the "
                                 "deaths of an Arkansas woman and her fetus."),
        (T, "45_1ecb.xml#8", "Peterson was found guilty because jurors believed he had a motive to kill his wife and "
                             "that Peterson's conduct -- before, during and after Laci Peterson's disappearance -- "
                             "was too suspicious to be purely coincidental."),
        (N, "edited:45_1ecb.xml#0", "Scott Peterson has been found not guilty of first-degree murder."),
        (C, "edited:45_2ecb.xml#0", "On November 12, a jury in Redwood City, California, acquitted Scott Peterson of "
                                    "murder in the death of his wife."),
    ]),
    ("Warren Jeffs was sentenced to life in prison", "dev", [
        (P, "36_2ecbplus.xml#0", "Polygamist leader Warren Jeffs sentenced to life in prison"),
        (P, "36_2ecbplus.xml#4", "Polygamist leader Warren Jeffs was sentenced Tuesday to life in prison plus 20 "
                                 "years for sexually assaulting two girls he claimed were his \"spiritual wives. \""),
        (P, "36_2ecbplus.xml#8", "The jury sentenced Jeffs to life in prison for aggravated sexual assault of a 12 - "
                                 "year - old girl and 20 years in prison for the sexual assault of a 15 - year - old "
                                 "girl."),
        (T, "36_1ecbplus.xml#4", "A San Antonio jury has found polygamist leader Warren Jeffs guilty on both sexual "
                                 "assault charges on Thursday."),
        (T, "36_1ecbplus.xml#8", "He could be sentenced to up to 119 years in prison."),
        (T, "36_2ecb.xml#44", "The polygamous Fundamentalist Church of Jesus Christ of Latter Day Saints is led "
                              "president Warren S. Jeffs, now serving a sentence for being an accomplice to rape for "
                              "conducting an underage marriage."),
        (T, "36_1ecbplus.xml#12", "Jeffs largely avoided defending himself during the case, only offering a \"I am at "
                                  "peace, \" phrase as his closing statement."),
        (N, "edited:36_2ecbplus.xml#4", "Polygamist leader Warren Jeffs was not sentenced to life in prison on "
                                        "Tuesday."),
        (C, "edited:36_2ecbplus.xml#4", "Polygamist leader Warren Jeffs was acquitted on Tuesday and walked free."),
    ]),
    ("Microsoft released a patch for Internet Explorer", "held-out", [
        (P, "27_1ecbplus.xml#4", "Microsoft has released a temporary patch to fix a \"zero - day\", or previously "
                                 "unknown, vulnerability in its Internet Explorer (IE) web browser."),
        (P, "27_2ecb.xml#4", "Microsoft today released a patch for the latest Internet Explorer (IE) browser "
                             "vulnerability that has been in the news since last week."),
        (P, "27_2ecb.xml#0", "Microsoft Patches IE, But Security Issues Remain"),
        (P, "27_1ecbplus.xml#2", "Microsoft releases fix for'zero - day' IE browser bug"),
        (P, "27_1ecb.xml#8", "“Microsoft has released a security update for Internet Explorer that will help protect "
                             "its customers from malicious attacks,” said the company in a statement."),
        (N, "27_1ecbplus.xml#14", "\"Hackers are already exploiting this so I hope Microsoft produces a full patch "
                                  "within a few days, \" she said."),
        (N, "27_1ecb.xml#16", "“When the patch is released, people should run, not walk, to get it installed,” said "
                              "Paul Ferguson, a researcher with Trend Micro."),
        (T, "27_2ecb.xml#6", "However, malware authors have already begun pushing out customized variants of the "
                             "flaw that the Microsoft patch may not address."),
        (A, "27_1ecb.xml#20", "It is thought that the security flaw, which came to light earlier this week, was "
                              "exposed by accident, after a Chinese security firm, Knowsec, released details of the "
                              "loophole believing Microsoft had already issued a software fix to resolve it."),
        (N, "edited:27_2ecb.xml#4", "Microsoft has not released a patch for the latest Internet Explorer (IE) browser "
                                    "vulnerability."),
        (C, "edited:27_2ecb.xml#4", "Microsoft refused to release a patch for the Internet Explorer flaw."),
    ]),
    ("The Indian Navy foiled a pirate attack", "dev", [
        (P, "12_1ecb.xml#0", "The Indian Navy on Saturday prevented pirates from attacking a merchant vessel flying "
                             "an Ethiopian flag in the Gulf of Aden and took 23 into custody."),
        (P, "12_1ecbplus.xml#2", "Navy foils Somali pirate attack off Gulf of Aden"),
        (P, "12_1ecbplus.xml#4", "The Indian Navy patrolling the Gulf of Aden on Thursday thwarted a multi - boat "
                                 "attack by sea brigands on merchant vessels, apprehending 26 Somali pirates and "
                                 "confiscating arms and ammunition, in the fifth successful anti - piracy operation "
                                 "since September."),
        (P, "12_2ecbplus.xml#0", "Indian ship thwarts piracy attempt in Gulf of Aden, 26 pirates arrested"),
        (P, "12_2ecb.xml#0", "Indian naval forces came to the rescue of a merchant vessel under attack by pirates in "
                             "the Gulf of Aden on Saturday, capturing 23 of the raiders, India said."),
        (T, "12_2ecb.xml#22", "Pirates holding about a dozen ships and nearly 300 crewmen in safe havens on the "
                              "Somali coast."),
        (T, "12_2ecb.xml#24", "Among the captured vessels are a Saudi supertanker loaded with $100 million of crude "
                              "oil, the Sirius Star, and a Ukrainian cargo ship carrying some 30 Soviet-era tanks, "
                              "the MV Faina."),
        (T, "12_2ecb.xml#14", "The Indian Navy in November said it had sunk the Somali pirate “mother ship”, though an "
                              "anti-piracy watchdog later said the vessel was actually a Thai ship carrying fishing "
                              "equipment that was being hijacked."),
        (N, "edited:12_1ecb.xml#0", "The Indian Navy on Saturday did not prevent pirates from attacking a merchant "
                                    "vessel in the Gulf of Aden."),
        (C, "edited:12_1ecb.xml#0", "Pirates seized a merchant vessel in the Gulf of Aden on Saturday after the Indian "
                                    "Navy failed to stop the attack."),
    ]),
    ("AMD will buy ATI", "held-out", [
        (P, "43_1ecb.xml#4", "Chipmaker AMD, hoping to gain a leg up on a resurgent rival Intel (INTC), on July 24 "
                             "ended months of speculation by saying it would buy graphics chipmaker ATI for about "
                             "$5.4 billion."),
        (P, "43_1ecb.xml#2", "Advanced Micro Devices (AMD) Chief Executive Hector Ruiz waxed metaphorical as he "
                             "described his company's acquisition of ATI Technologies (ATYT)."),
        (A, "43_1ecbplus.xml#2", "On February 29, 2012, AMD announced a definitive agreement to acquire SeaMicro, a "
                                 "pioneer in energy - efficient, high - bandwidth microservers."),
        (A, "43_1ecbplus.xml#4", "By acquiring SeaMicro, AMD is accelerating our disruptive server strategy, taking "
                                 "advantage of an inflection point in the industry driving opportunities in low power, "
                                 "client mobility, emerging markets and the cloud / megadata centers."),
        (T, "43_1ecb.xml#30", "AMD shares fell almost 5% on July 24, to $17.40, extending recent declines fueled by "
                              "concern AMD will be the biggest loser amid an escalating PC industry price war."),
        (T, "43_1ecb.xml#40", "ATI chipsets connect to Intel's processor through what's known as a front side bus, "
                              "which serves as a highway for transferring data."),
        (T, "43_1ecb.xml#28", "Investors weren't too sure how happy the AMD and ATI family will turn out to be, "
                              "either."),
        (N, "edited:43_1ecb.xml#4", "Chipmaker AMD said on July 24 that it would not buy graphics chipmaker ATI."),
        (C, "edited:43_1ecb.xml#4", "Chipmaker AMD on July 24 ended months of speculation by ruling out a bid for "
                                    "graphics chipmaker ATI."),
    ]),
    ("Klitschko stopped Tony Thompson", "dev", [
        (P, "7_1ecbplus.xml#4", "Wladimir Klitschko stopped Tony Thompson in the sixth round to keep a comfortable "
                                "hold on his WBA, IBF and WBO heavyweight titles Saturday night."),
        (P, "7_2ecbplus.xml#0", "Wladimir Klitschko retains titles stopping Thompson in six rounds"),
        (P, "7_1ecbplus.xml#8", "The Ukrainian champion dropped Thompson again in the sixth, and referee Sam Williams "
                                "gave the challenger a standing count before stopping the fight at 2: 56."),
        (A, "7_1ecb.xml#0", "Wladimir Klitschko (52-3, 46 KOs) blasted a sluggish Hasim Rahman (45-7-2, 36 KOs) in "
                            "Mannheim, Germany on Saturday night to retain the IBF, WBO and IBO world heavyweight "
                            "titles."),
        (A, "7_1ecb.xml#2", "After flooring Rahman in the sixth round with a left-right combo Klitschko wasted little "
                            "time wrapping it up in the seventh with a big left-right-left series that led to the "
                            "referee stepping in and stopping the fight at the 2:15 mark."),
        (A, "edited:7_1ecbplus.xml#4", "Tony Thompson stopped Wladimir Klitschko in the sixth round on Saturday "
                                       "night."),
        (T, "7_1ecbplus.xml#10", "\"Thompson was not so easy to box."),
        (T, "7_1ecbplus.xml#26", "Thompson briefly stepped up his cautious tactics when landing a left to Klitschko's "
                                 "face in the third."),
        (T, "7_1ecbplus.xml#24", "A cagey opening round was followed by a scrappy second, as Klitschko twice wrestled "
                                 "Thompson to the floor."),
        (N, "edited:7_1ecbplus.xml#4", "Wladimir Klitschko did not stop Tony Thompson on Saturday night."),
        (C, "edited:7_1ecbplus.xml#4", "Wladimir Klitschko failed to stop Tony Thompson, who lasted all twelve "
                                       "rounds."),
    ]),
    ("Vincent Jackson was arrested for drunk driving", "held-out", [
        (P, "35_1ecb.xml#4", "Jackson was arrested on the DUI charge early Tuesday morning by the California Highway "
                             "Patrol."),
        (P, "35_1ecbplus.xml#26", "Chargers receiver Vincent Jackson was arrested for investigation of DUI on Jan. 6, "
                                  "five days before San Diego's playoff loss at Pittsburgh."),
        (P, "35_1ecb.xml#2", "An arrest for suspicion of driving under the influence will not affect the playing "
                             "status of San Diego Chargers wide receiver Vincent Jackson for Sunday's divisional "
                             "playoff game at Pittsburgh."),
        (A, "35_1ecbplus.xml#0", "Chargers' Jamal Williams arrested on DUI suspicion"),
        (A, "35_1ecbplus.xml#4", "Chargers defensive tackle Jamal Williams was arrested on suspicion of drunken "
                                 "driving, the team's second such arrest in less than a month."),
        (T, "35_1ecb.xml#0", "Chargers WR Jackson will play vs. Steelers"),
        (T, "35_1ecb.xml#16", "“I don't think any charges will be filed as a result of the stop."),
        (T, "35_1ecbplus.xml#36", "Coincidentally, the Chargers were the first NFL team to implement Safe Ride "
                                  "Solutions, a program in which pro athletes who've had too much to drink can call a "
                                  "toll - free number and request a ride from an off - duty police officer."),
        (N, "edited:35_1ecb.xml#4", "Jackson was not arrested on a DUI charge, the California Highway Patrol said."),
        (C, "edited:35_1ecb.xml#4", "The California Highway Patrol denied that Jackson had been arrested for drunk "
                                    "driving."),
    ]),
    ("Sudan bombed a refugee camp in South Sudan", "dev", [
        (P, "41_1ecbplus.xml#0", "Breaking News: Sudan Bombs Yida Refugee Camp in South Sudan"),
        (P, "41_1ecbplus.xml#4", "The Sudan Armed Forces, or SAF, attacked a refugee camp in South Sudan at 2: 53 p. "
                                 "m. local time today."),
        (P, "41_2ecbplus.xml#0", "UNHCR condemns air attack on refugee camp in South Sudan"),
        (C, "41_1ecbplus.xml#10", "A SAF spokesman denied the attack occurred."),
        (A, "41_1ecb.xml#12", "Hours before, three young men who were cousins died when the Israelis bombed Asma "
                              "elementary school in Gaza City."),
        (A, "41_1ecb.xml#0", "Israel's assault on Gaza has exacted the bloodiest toll of civilian lives yet, when the "
                             "bombing of UN schools being used as refugee centres and of housing killed more than 50 "
                             "people, including an entire family of seven young children."),
        (T, "41_1ecbplus.xml#30", "Yida is home to more than 22, 000 refugees, many of whom walked at least seven days "
                                  "across the border to flee indiscriminate bombing and approaching famine conditions "
                                  "in Sudan's South Kordofan state."),
        (T, "41_1ecbplus.xml#38", "It remains to be seen how the Government of South Sudan will respond to this second "
                                  "attack within its borders; President Kiir held a press conference today on "
                                  "relations with Sudan just hours before the alleged attack on Yida camp."),
        (N, "edited:41_1ecbplus.xml#4", "The Sudan Armed Forces did not attack the refugee camp in South Sudan, a "
                                        "spokesman said."),
    ]),
    ("Hugh Jackman will host the Academy Awards", "held-out", [
        (P, "2_1ecb.xml#0", "World's sexiest man' Hugh Jackman has been roped in to host the 81st annual Academy "
                            "Awards ceremony"),
        (P, "2_2ecb.xml#8", "On Friday, the organization behind the Academy Awards named Australian actor Hugh Jackman "
                            "as the host of February's annual show."),
        (P, "2_3ecb.xml#2", "Hugh Jackman, the Australian actor known to film audiences for playing a furry comic-book "
                            "hero in the X-Men movies, will be host of the 81st incarnation of the Oscars, the Academy "
                            "of Motion Picture Arts and Sciences announced on Friday."),
        (P, "2_2ecb.xml#10", "Jackman is the first non-comedian to single-handedly host the show in recent years."),
        (A, "2_1ecbplus.xml#0", "Ellen DeGeneres To Host 86th Oscars"),
        (A, "2_1ecbplus.xml#26", "Television icon Ellen DeGeneres will return to host the Oscars® for a second time, "
                                 "producers Craig Zadan and Neil Meron announced today."),
        (T, "2_2ecb.xml#16", "He has done well hosting the Tony Awards, the Broadway version of the Oscars, but the "
                             "Oscars' audience is used to comedians on the show."),
        (T, "2_2ecb.xml#0", "It's a tough job hosting the Academy Awards."),
        (T, "2_1ecb.xml#12", "Jackman sings ballads at home, makes pancakes for son Oscar, 8, daughter Ava, 3, as well "
                             "as his wife Deborra-Lee Furness."),
        (N, "edited:2_2ecb.xml#8", "On Friday, the organization behind the Academy Awards said Australian actor Hugh "
                                   "Jackman will not host February's annual show."),
        (C, "edited:2_3ecb.xml#2", "Hugh Jackman turned down the Academy's offer to host the 81st Oscars."),
    ]),
    ("Police arrested the driver in the Bloomington hit and run", "dev", [
        (P, "21_1ecb.xml#0", "Police arrest suspect in fatal Bloomington hit and run"),
        (P, "21_1ecb.xml#32", "LaSalle was arrested and booked into the Bloomington city jail, Earley said."),
        (P, "21_2ecb.xml#12", "The station also reported that when the driver was arrested, he was uncooperative and "
                              "officers had to use a Taser to subdue him."),
        (T, "21_1ecb.xml#2", "The driver allegedly hit a 66-year-old woman near a Bloomington parking lot and fled the "
                             "scene."),
        (T, "21_2ecb.xml#6", "A bystander tried to stop the driver, but he drove off."),
        (T, "21_2ecb.xml#14", "Police believe the driver was drinking at the time of the crash, WCCO-TV reported."),
        (T, "21_1ecb.xml#38", "LaSalle is expected to be charged today, Earley said."),
        (A, "21_1ecbplus.xml#0", "Woman Killed In Queens Hit - And - Run, Driver Charged"),
        (A, "21_1ecbplus.xml#10", "Police caught up with the driver, who is from Schnectady, a few blocks away."),
        (N, "edited:21_1ecb.xml#0", "Police have not arrested anyone in the fatal Bloomington hit and run."),
        (C, "edited:21_1ecb.xml#2", "The driver in the fatal Bloomington hit and run escaped the police and remains at "
                                    "large."),
    ]),
    ("Apple unveiled a 17-inch MacBook Pro", "held-out", [
        (P, "40_1ecb.xml#0", "After weeks of speculation about what would be introduced at Macworld, Apple Inc. took "
                             "the wraps off of updated iTunes and iLife software and unveiled a 17-inch MacBook Pro "
                             "on Tuesday."),
        (P, "40_2ecb.xml#2", "The firm announced a widely expected refresh of its 17in MacBook Pro, with a battery that "
                             "the firm said will offer eight hours of operation, but which is not removable from the "
                             "case."),
        (P, "40_1ecb.xml#8", "Apple claims that its new MacBook Pro is the thinnest and lightest 17-inch notebook "
                             "computer available."),
        (A, "40_1ecbplus.xml#0", "Apple unveils new MacBook Pro with Ivy Bridge at WWDC"),
        (A, "40_2ecbplus.xml#0", "New MacBook Air models officially unveiled with Ivy Bridge upgrade"),
        (A, "40_1ecb.xml#22", "The second revamped iLife offering unveiled at Apple's keynote Tuesday morning was a new "
                              "version of iMovie, which allows new drag-and-drop editing features, video "
                              "stabilization, built-in themes and animated travel maps."),
        (T, "40_2ecb.xml#0", "Apple's big announcement at Macworld yesterday was not a new iMac, Mini or netbook, all "
                             "of which had been rumoured, but a battery."),
        (T, "40_2ecb.xml#20", "Other than the MacBook Pro, the company concentrated on enhancements to its iWork "
                              "package, including a beta version of iwork.com."),
        (N, "edited:40_1ecb.xml#0", "Apple did not unveil a 17-inch MacBook Pro at Macworld on Tuesday."),
        (C, "edited:40_1ecb.xml#0", "Apple scrapped the 17-inch MacBook Pro, to the disappointment of fans at "
                                    "Macworld."),
    ]),
    ("An arsonist damaged Sarah Palin's church", "dev", [
        (P, "13_1ecb.xml#0", "An arsonist has badly damaged the church attended by the Governor of Alaska, Sarah "
                             "Palin, and she has apologised if the fire was connected to “undeserved negative "
                             "attention” from her failed campaign as the Republican vice-presidential nominee."),
        (P, "13_4ecb.xml#0", "Gov. Sarah Palin's home church was badly damaged by arson, leading Ms. Palin to "
                             "apologize if the fire was connected to `undeserved negative attention' the church "
                             "received during her campaign as the Republican vice-presidential nominee."),
        (T, "13_1ecb.xml#4", "Ms Palin visited the church on Saturday."),
        (T, "13_3ecb.xml#0", "A “suspicious” fire devastated the church attended by Alaska Gov. and former vice "
                             "presidential candidate Sarah Palin on Friday night in her hometown of Wasilla, the "
                             "church's minister said."),
        (T, "13_4ecb.xml#6", "Chief Steele said that the blaze was being investigated as an arson but that he did not "
                             "know of any recent threats to the church."),
        (T, "13_1ecb.xml#32", "The 1000-member evangelical church was the subject of scrutiny after Mrs Palin was "
                              "named John McCain's Republican Party running mate."),
        (T, "13_1ecb.xml#38", "Wasilla, Mrs Palin's home town, is 64 kilometres north of Anchorage."),
        (T, "13_1ecb.xml#10", "Authorities also did not know whether Mrs Palin's connection to the church was "
                              "relevant to the fire."),
        (N, "edited:13_1ecb.xml#0", "An arsonist has not damaged the church attended by the Governor of Alaska, Sarah "
                                    "Palin."),
        (C, "edited:13_4ecb.xml#6", "Fire Chief Steele said the blaze at Sarah Palin's church was an accident, not "
                                    "arson."),
    ]),
]


# A fresh held-out set, written after the held-out half above had been looked at by an error analysis
# (README, "Key messages"): 8 messages from ECB+ stories the sets above do not use (4, 6, 9, 16, 23,
# 29, 31, 34), labelled by the same rules, and written down (with main's figures on it) before any
# matcher was changed or any error on it was looked at. Contradictions here are mostly without a
# negation word (lost, passed over, survived, tightened, released, fell short, quit): the case the
# held-out analysis found missing. ``split`` is ``fresh``; ``python training/messages_pairs.py`` writes
# it to ``tests/data/messages/fresh.jsonl``.
FRESH = [
    ("The Colts beat the Chiefs", "fresh", [
        (P, "29_1ecbplus.xml#0", "Colts beat Chiefs 20 - 13 to clinch playoff berth"),
        (P, "29_4ecbplus.xml#4", "The Indianapolis Colts clinched a playoff spot and the five seed in the AFC playoffs "
                                 "with a 20 - 13 win over the Kansas City Chiefs on another Andrew Luck game - winning "
                                 "drive, his seventh of the season."),
        (P, "29_8ecbplus.xml#4", "Despite rushing for 352 yards, the Kansas City Chiefs lost their home finale to the "
                                 "Indianapolis Colts at Arrowhead Stadium on Sunday afternoon."),
        (P, "29_11ecbplus.xml#10", "The young team fought hard to defeat the Chiefs in another fourth quarter victory, "
                                   "20 - 13."),
        (T, "29_12ecbplus.xml#8", "Meanwhile, the Chiefs lost their 13th game of the season and could tie the "
                                  "franchise mark of 14 losses next week in Denver against Peyton Manning and the "
                                  "Broncos."),
        (T, "29_12ecbplus.xml#14", "Jamaal Charles (226 yards) and Peyton Hillis (101 yards) led a powerful attack "
                                   "that, for any team other than the 2012 Chiefs, would have nearly guaranteed a "
                                   "victory."),
        (A, "29_2ecb.xml#2", "Quarterback Peyton Manning was nearly perfect as the Colts beat the host Jaguars, 31-24, "
                             "on Thursday night."),
        (N, "29_11ecbplus.xml#6", "The Colts could clinch a playoff berth with a win over the Kansas City Chiefs or a "
                                  "Pittsburgh Steelers loss."),
        (C, "edited:29_1ecbplus.xml#0", "Chiefs beat Colts 20 - 13 to end playoff hopes"),
        (C, "edited:29_8ecbplus.xml#4", "Despite passing for 205 yards, the Indianapolis Colts lost to the Kansas City "
                                        "Chiefs at Arrowhead Stadium on Sunday afternoon."),
    ]),
    ("Bettie Page died", "fresh", [
        (P, "4_8ecb.xml#2", "Bettie Page died Thursday of pneumonia at a Los Angeles area hospital, longtime agent "
                            "Mark Roesler said."),
        (P, "4_1ecb.xml#4", "“With deep personal sadness I must announce that my dear friend and client Bettie Page "
                            "passed away at 6:41pm PST this evening (0241 GMT Friday) in a Los Angeles hospital,” her "
                            "agent Mark Roesler said Thursday in a statement."),
        (P, "4_12ecb.xml#0", "Yesterday in Los Angeles, pin-up icon Bettie Page succumbed to complications from a heart "
                             "attack suffered almost three weeks ago."),
        (P, "4_11ecb.xml#0", "Bettie Page, the 1950s pin-up queen and pop culture icon who died on Thursday, will be "
                             "remembered for her indomitable influence on style, fashion, and sexual expression."),
        (T, "4_10ecb.xml#24", "Page had been hospitalized for the past three weeks for pneumonia."),
        (T, "4_4ecb.xml#32", "Roesler said Page had been in hospital for three weeks with pneumonia and was about to be "
                             "released when she suffered the heart attack on December 2."),
        (A, "4_1ecbplus.xml#2", "Hollywood’s mermaid Esther Williams dies"),
        (N, "edited:4_4ecb.xml#4", "Her agent, Mark Roesler, said Page has not died and remains at a Los Angeles "
                                   "hospital after suffering a heart attack on December 2."),
        (C, "edited:4_2ecb.xml#24", "Ms Page recovered from pneumonia and was released from hospital and sent home "
                                    "on 2 December, her agent said."),
        (C, "edited:4_4ecb.xml#4", "Her agent, Mark Roesler, said Page survived the heart attack and is recovering at "
                                   "a Los Angeles hospital."),
    ]),
    ("Obama nominated Regina Benjamin as Surgeon General", "fresh", [
        (P, "34_6ecbplus.xml#4", "President Obama has nominated Alabama physician Dr. Regina Benjamin to be US Surgeon "
                                 "General."),
        (P, "34_3ecbplus.xml#4", "President Barack Obama announces his nomination of Dr. Regina Benjamin, a physician "
                                 "who operates a clinic in Bayou La Batre, Ala., as the U. S. Surgeon General during "
                                 "an announcement in the White House Rose Garden Monday, July 13, 2009."),
        (P, "34_5ecbplus.xml#6", "The American Medical Association is delighted that Dr. Regina Benjamin, MD, has been "
                                 "nominated to serve as our nation's next U. S. Surgeon General."),
        (P, "34_1ecbplus.xml#8", "Today, President Barack Obama announced his intent to nominate Regina M. Benjamin as "
                                 "Surgeon General, Department of Health and Human Services."),
        (T, "34_4ecbplus.xml#6", "Benjamin, an Alabama family physician, runs a rural health clinic in Bayou La Batre."),
        (T, "34_1ecbplus.xml#32", "Dr. Benjamin received the Nelson Mandela Award for Health and Human Rights in 1998, "
                                  "and was elected to the American Medical Association Board of Trustees in 1995, "
                                  "making her the first physician under age 40 and the first African - American "
                                  "woman to be elected."),
        (A, "34_2ecb.xml#0", "In a rich and symbolic recognition to India's sterling contribution to the US health "
                             "care system, the US President-elect has asked Dr Sanjay Gupta, CNN's well-known medical "
                             "correspondent and a neuro-surgeon of repute to be the country's surgeon general."),
        (A, "34_4ecbplus.xml#44", "In January, it was reported that President Obama had asked CNN's Dr. Sanjay Gupta "
                                  "to be Surgeon General, and that Gupta had mulled the offer for a while, but "
                                  "eventually turned it down."),
        (N, "edited:34_6ecbplus.xml#4", "President Obama has not nominated Alabama physician Dr. Regina Benjamin to "
                                        "be US Surgeon General."),
        (C, "edited:34_6ecbplus.xml#4", "President Obama passed over Alabama physician Dr. Regina Benjamin and chose "
                                        "Dr. Sanjay Gupta to be US Surgeon General."),
    ]),
    ("An Australian climber died in a fall on Mount Cook", "fresh", [
        (P, "23_1ecbplus.xml#4", "A 36 - year - old Australian climber is dead after falling about 150 metres at "
                                 "Aoraki Mount Cook."),
        (P, "23_2ecbplus.xml#28", "Yesterday, a 36 - year - old Australian climber died after falling about 150 "
                                  "metres at Mt Cook."),
        (P, "23_1ecbplus.xml#0", "Climber dead after Aoraki Mount Cook fall"),
        (T, "23_1ecbplus.xml#6", "The man, from Hampton East, fell in the Tasman Glacier area."),
        (T, "23_3ecbplus.xml#8", "He said they come as a reminder that climbers need to use extreme caution."),
        (T, "23_1ecbplus.xml#12", "The man is thought to have fallen much earlier in the day."),
        (A, "23_5ecbplus.xml#4", "A British climber has fallen 2, 000ft to his death on a mountain in New Zealand, "
                                 "police there have said."),
        (A, "23_5ecbplus.xml#6", "Robert Buckley, 32, died while climbing to a hut on Mount Sefton in the Aoraki Mount "
                                 "Cook National Park on Saturday."),
        (N, "edited:23_1ecbplus.xml#4", "A 36 - year - old Australian climber did not die after falling about 150 "
                                        "metres at Aoraki Mount Cook."),
        (C, "edited:23_1ecbplus.xml#4", "A 36 - year - old Australian climber survived a fall of about 150 metres at "
                                        "Aoraki Mount Cook."),
        (C, "edited:23_1ecbplus.xml#10", "The Australian climber who fell at Mount Cook was rescued by a local "
                                         "helicopter service and is recovering in hospital."),
    ]),
    ("The Bush administration loosened protection of endangered species", "fresh", [
        (P, "9_1ecb.xml#0", "With just over a month remaining in office, the Bush administration loosened federal "
                            "protection of plant and animal species threatened with extinction."),
        (P, "9_2ecb.xml#0", "The Interior Department yesterday finalized rules changing the way it administers the "
                            "Endangered Species Act, enabling other government agencies to decide on their own "
                            "whether a project would harm an imperiled species without an independent scientific "
                            "review."),
        (T, "9_1ecb.xml#56", "The US Chamber of Commerce welcomed the rule change."),
        (T, "9_1ecb.xml#60", "Obama says that he intends to reverse the rule change, along with other “midnight rules” "
                             "made in the waning days of the Bush presidency."),
        (T, "9_2ecb.xml#20", "“As the Bush administration fades off into the sunset, it continues to take brazen pot "
                             "shots at everything in sight, including America's landmark conservation law, the "
                             "Endangered Species Act,” said House Resources Committee Chairman Nick J. Rahall II "
                             "(D-W.Va.), who said he would introduce legislation seeking to overturn the rule next "
                             "year."),
        (A, "9_1ecbplus.xml#2", "Obama Administration Restores Endangered Species Act Protections!"),
        (N, "edited:9_1ecb.xml#0", "With just over a month remaining in office, the Bush administration did not loosen "
                                   "federal protection of plant and animal species threatened with extinction."),
        (C, "9_1ecb.xml#6", "“The rule strengthens the regulations so the government can focus on protecting "
                            "endangered species as it strives to rebuild the American economy,” said Secretary of the "
                            "Interior Dirk Kempthorne."),
        (C, "edited:9_1ecb.xml#0", "With just over a month remaining in office, the Bush administration tightened "
                                   "federal protection of plant and animal species threatened with extinction."),
    ]),
    ("Two gang members were arrested for the murder of Juan Escalante", "fresh", [
        (P, "16_1ecb.xml#2", "Guillermo Hernandez, 20, and Carlos Velasquez, 24, were arrested Friday and were being "
                             "held without bail in a Los Angeles Police jail, charged with killing Juan Abel Escalante "
                             "last summer, said Chief of Detectives Charlie Beck."),
        (P, "16_3ecb.xml#0", "Two male gang members whose names remain unreleased were arrested last night in the case "
                             "of the murder of Los Angeles County Sheriff's Deputy Juan Abel Escalante which took place "
                             "outside his Cypress Park home this August 2nd as he prepared to leave for work."),
        (P, "16_1ecb.xml#0", "Two possible gang members are under arrest for the assassination-style murder of a Los "
                             "Angeles County sheriff's deputy outside his house in a gang-plagued section of the city "
                             "last summer, police said Saturday."),
        (T, "16_1ecb.xml#8", "Escalante was shot outside his boyhood home in the 3400 block of Thorpe Street in "
                             "Cypress Park while on his way to work at the Men's Central Jail early Aug. 2."),
        (T, "16_1ecb.xml#18", "At an afternoon news conference at Parker Center, police offered almost no details "
                              "about the arrests and Bratton specifically declined to confirm reports of the "
                              "suspects' gang affiliation."),
        (T, "16_3ecb.xml#8", "He had been a deputy for less than 3 years when he was murdered."),
        (A, "16_1ecbplus.xml#8", "Cooley said Jose Luis Orozco was charged with murdering the 35 - year - old deputy "
                                 "on June 24 outside a Hawaiian Gardens apartment."),
        (N, "edited:16_1ecb.xml#2", "Guillermo Hernandez, 20, and Carlos Velasquez, 24, were not arrested in the "
                                    "killing of Juan Abel Escalante, said Chief of Detectives Charlie Beck."),
        (C, "edited:16_1ecb.xml#2", "Guillermo Hernandez, 20, and Carlos Velasquez, 24, were released Friday from a "
                                    "Los Angeles Police jail and cleared in the killing of Juan Abel Escalante, said "
                                    "Chief of Detectives Charlie Beck."),
    ]),
    ("Tyler Hansbrough broke North Carolina's career scoring record", "fresh", [
        (P, "31_3ecb.xml#0", "Tyler Hansbrough scored 20 Thursday night to break North Carolina's career scoring "
                             "record and help the No. 1 Tar Heels remain unbeaten with a 91-73 victory over Evansville "
                             "in Chapel Hill, N.C."),
        (P, "31_1ecb.xml#0", "In front of his home fans and a national television audience, Tyler Hansbrough became "
                             "the all-time leading scorer for North Carolina basketball on Thursday in his team's win "
                             "over Evansville."),
        (P, "31_2ecb.xml#4", "The reigning National Player of the Year passed Phil Ford for the record midway through "
                             "the first half."),
        (T, "31_1ecb.xml#8", "Hansbrough epitomizes all that is right with college basketball."),
        (T, "31_4ecb.xml#14", "Tyler Hansbrough had 24 points and seven rebounds in a balanced attack, and the "
                              "third-ranked North Carolina Tar Heels bounced back from their first loss with a 108-70 "
                              "rout of the College of Charleston Cougars."),
        (A, "31_1ecbplus.xml#4", "With a first - half free throw, junior forward Doug McDermott scored his 11th point "
                                 "of the Bluejays ’ Valley tournament opener and passed Rodney Buford to become the "
                                 "school’s all - time scoring leader with 2, 117 points."),
        (N, "31_1ecb.xml#2", "Hansbrough needed just nine points in the game to eclipse Phil Ford for the top spot."),
        (N, "edited:31_3ecb.xml#0", "Tyler Hansbrough failed to break North Carolina's career scoring record Thursday "
                                    "night in a 91-73 victory over Evansville."),
        (C, "edited:31_3ecb.xml#0", "Tyler Hansbrough fell short of North Carolina's career scoring record Thursday "
                                    "night, which Phil Ford still holds."),
    ]),
    ("Chris Weitz will direct New Moon", "fresh", [
        (P, "6_2ecb.xml#0", "It's official: Chris Weitz is taking over the director's chair for the “Twilight” sequel "
                            "“New Moon.”"),
        (P, "6_3ecb.xml#0", "Summit Entertainment announced today that filmmaker Chris Weitz has been hired to direct "
                            "the second film in the studio's TWILIGHT film franchise."),
        (P, "6_1ecb.xml#2", "Weitz comes on board to helm the second installment in Stephenie Meyer's four-book series "
                            "after Summit and “Twilight” director Catherine Hardwicke failed to reach a deal on the new "
                            "movie."),
        (T, "6_3ecb.xml#38", "Weitz is represented by WMA and by Alex Kohner of Morris, Yorn, Barnes and Levine."),
        (T, "6_1ecb.xml#22", "Weitz has not helmed a girl-oriented project before but has been involved in movies that "
                             "encompass elements featured in “Twilight,” producing the teen-aimed coming-of-age tale "
                             "“American Pie” and directing the fantasy adventure “The Golden Compass.”"),
        (A, "6_2ecb.xml#8", "On the other hand, Weitz also directed last year's “The Golden Compass,” which was an "
                            "expensive mess that failed to capture the fan base of the book."),
        (A, "6_1ecbplus.xml#12", "While the first movie was a huge success, THR is saying that director Gary Ross is "
                                 "still in negotiations to direct the sequel, Catching Fire."),
        (N, "6_1ecb.xml#0", "Chris Weitz is in negotiations to helm “New Moon,” the sequel to Summit Entertainment's "
                            "vampire breakout “Twilight.”"),
        (N, "edited:6_3ecb.xml#0", "Summit Entertainment announced today that Chris Weitz will not direct “New Moon,” "
                                   "the second film in the studio's TWILIGHT film franchise."),
        (C, "edited:6_2ecb.xml#0", "It's official: Chris Weitz has quit the director's chair for the “Twilight” sequel "
                                   "“New Moon.”"),
    ]),
]


# A second fresh held-out set, written after ``fresh.jsonl`` had been measured (it is development data
# since): 10 messages from ECB+ stories neither set above uses (3a, 3b, 8a, 10b, 14a, 22a, 24a, 26a,
# 37b, 42a), labelled by the same rules and written down, with main's figures on it, before the
# encoder matcher was built or any error on it was read. Its paraphrases mostly say the action in
# other words (snatched, cleaned out, hanged himself, gutted, ran away, handed ... life sentences,
# picking up, extend, died at the scene, accused of, leaving 24 dead), and its contradictions carry no
# negation word, nor an opposite of the message's verb from ``data/verb_relations.csv`` (fled
# empty-handed, murdered, saved, overpowered, sentenced to death, won exclusive rights, stayed out of
# the bidding, defused, cleared, survived). ``split`` is ``fresh2``; ``python
# training/messages_pairs.py`` writes it to ``tests/data/messages/fresh2.jsonl``.
FRESH2 = [
    ("Armed robbers stole diamonds from the Harry Winston store in Paris", "fresh2", [
        (P, "24_4ecb.xml#0", "Armed robbers - some disguised as women - snatched $108 million worth of diamond rings, "
                             "necklaces and luxury watches from a Harry Winston boutique on a posh Paris avenue in one "
                             "of the largest jewel heists in history, officials said Friday."),
        (P, "24_5ecb.xml#0", "Armed thieves have carried out another brazen and meticulously planned robbery of the "
                             "Harry Winston store in central Paris, making off with an estimated $102 million in "
                             "jewelry."),
        (P, "24_14ecb.xml#0", "French police say armed robbers cleaned out a high-end jewelry store yesterday in Paris, "
                              "news organizations report."),
        (P, "24_1ecbplus.xml#16", "In December 2008, three men emptied almost all of the stock of gems from the Harry "
                                  "Winston jewelry store."),
        (T, "24_9ecb.xml#2", "At 5:30 p.m., four armed robbers, some reportedly dressed in drag, entered the store on the "
                             "chic Avenue Montaigne, off the Champs Elysees in central Paris, a heavily patrolled area "
                             "less than 330 feet from a police station."),
        (T, "24_1ecbplus.xml#18", "In 2009, police said they had recovered 80 percent of the haul."),
        (A, "24_1ecbplus.xml#2", "Four men rammed their car into an upmarket jewelry store in central Paris on Monday, "
                                 "smashing the shop window and making off with a two - million - euro ($2. 6 - million) "
                                 "booty, a police source said."),
        (A, "24_4ecbplus.xml#10", "In July, a masked jewel thief stole £88m worth of precious stones from the Carlton "
                                  "Hotel in Cannes."),
        (N, "edited:24_3ecb.xml#0", "Armed robbers did not steal any diamonds from the Paris branch of jeweler Harry "
                                    "Winston, the city prosecutors' office said."),
        (C, "edited:24_4ecb.xml#0", "Armed robbers - some disguised as women - fled empty-handed from a Harry Winston "
                                    "boutique on a posh Paris avenue after guards raised the alarm, officials said "
                                    "Friday."),
    ]),
    ("Gaetano Lo Presti killed himself in prison", "fresh2", [
        (P, "26_4ecb.xml#2", "Carabinieri paramilitary police in Palermo said Gaetano Lo Presti, 52, hanged himself in "
                             "his cell in a Palermo jail Tuesday evening, hours after he was arrested in the raid."),
        (P, "26_9ecb.xml#2", "Gaetano Lo Presti, 52, hung himself in his cell on Tuesday evening after he is believed to "
                             "have read police wiretap transcripts implicating him in the affair."),
        (P, "26_8ecb.xml#0", "A suspected Mafia leader committed suicide overnight after being arrested in a major "
                             "police sweep, police in Palermo, Sicily, said on Wednesday."),
        (P, "26_13ecb.xml#4", "Police said Lo Presti had hanged himself late on Tuesday night."),
        (T, "26_1ecb.xml#2", "Lo Presti, 52, head of Mafia clans in the Porta Nuova area of Palermo, was found dead in "
                             "Pagliarelli prison only hours after his arrest."),
        (T, "26_7ecb.xml#2", "His suicide appeared to be related to clan feuds."),
        (A, "26_1ecbplus.xml#4", "Vincent Gigante, who feigned mental illness for decades to camouflage his position as "
                                 "one of the nation's most influential and dangerous Mafia leaders, died today in "
                                 "federal prison in Springfield, Mo., officials told The Associated Press."),
        (A, "26_1ecbplus.xml#36", "He, too, died in a prison hospital, of cancer in June 2002."),
        (N, "edited:26_13ecb.xml#4", "Police said Lo Presti had not hanged himself and ordered an autopsy."),
        (C, "edited:26_4ecb.xml#2", "Carabinieri paramilitary police in Palermo said Gaetano Lo Presti, 52, was murdered "
                                    "in his cell in a Palermo jail Tuesday evening, hours after he was arrested in the "
                                    "raid."),
        (C, "edited:26_13ecb.xml#4", "Police said guards cut Lo Presti down alive late on Tuesday night and he is "
                                     "recovering in a prison hospital."),
    ]),
    ("A fire destroyed the Waitrose supermarket in Banstead", "fresh2", [
        (P, "14_1ecb.xml#0", "Fire and police units are still at the scene of a fire which gutted a Waitrose supermarket "
                             "in Surrey."),
        (P, "14_2ecb.xml#0", "A Waitrose store was reduced to ruins after a blaze being treated by police as "
                             "“potentially suspicious”."),
        (P, "14_9ecb.xml#6", "The blaze then progressed rapidly through the supermarket, leaving it almost totally "
                             "destroyed."),
        (P, "14_4ecb.xml#12", "“The crews have worked extremely hard ... to protect the surrounding buildings to ensure "
                              "that this fire didn't spread further, but I'm afraid the building here is a total "
                              "loss.”"),
        (T, "14_1ecb.xml#2", "More than 50 firefighters tackled the blaze at the store in High Street, Banstead, which "
                             "broke out on the roof at about 2045 GMT on Friday."),
        (T, "14_6ecb.xml#0", "Residents evacuated from their homes after a huge fire at a Waitrose store in Banstead on "
                             "Friday night have been allowed to return to their homes."),
        (T, "14_9ecb.xml#2", "A statement from Surrey police said the blaze at the Waitrose store on the High Street in "
                             "Banstead was being treated as “potentially suspicious”."),
        (A, "14_4ecbplus.xml#2", "A large fire has destroyed much of a supermarket in Somerset."),
        (A, "14_11ecbplus.xml#4", "A FIRE has badly damaged the Waitrose supermarket in Wellington's High Street."),
        (N, "edited:14_4ecb.xml#0", "A Waitrose supermarket in Banstead has not been destroyed in a fire, police said."),
        (C, "edited:14_8ecb.xml#0", "Firefighters saved the Waitrose store in Banstead High Street from a huge fire."),
        (C, "edited:14_4ecb.xml#24", "A statement from Waitrose said the Banstead store came through the fire with minor "
                                     "smoke damage and would reopen on Monday."),
    ]),
    ("Arcade Comeaux escaped during a prison transfer", "fresh2", [
        (P, "3_7ecbplus.xml#4", "Arcade Joseph Comeaux Jr., 49, ran away on foot with the guards' guns and wearing one "
                                "of their gray correctional officer uniforms, the statement from the Texas Department "
                                "of Criminal Justice said."),
        (P, "3_2ecbplus.xml#4", "A convicted child molester who was supposedly confined to a wheelchair overpowered two "
                                "prison guards today, handcuffed them, stole their weapons and walked off wearing one "
                                "of their uniforms."),
        (P, "3_1ecbplus.xml#4", "A convicted sex offender sentenced to life in prison pulled a gun on two guards during a "
                                "prison transfer Monday and held them hostage temporarily before fleeing on foot in one "
                                "of the guard's uniforms, authorities said."),
        (P, "3_3ecbplus.xml#4", "Texas inmate Arcade Joseph Comeaux Jr. escaped when he was being transported to a prison "
                                "in Beaumont from Huntsville."),
        (T, "3_10ecbplus.xml#6", "A hungry, wet and barefoot Arcade Joseph Comeaux Jr. was caught in northeast Houston, "
                                 "about 25 miles northwest of where he escaped, said Alfredo Perez, a spokesman for the "
                                 "U. S. Marshals Service."),
        (T, "3_6ecbplus.xml#8", "Comeaux, a 6 - foot, 200 - pound black male, was serving a life sentence for crimes he "
                                "committed in three Texas counties."),
        (A, "3_7ecb.xml#12", "Mr. Nichols escaped on March 11, 2005, as he was being escorted to a trial for rape."),
        (N, "edited:3_3ecbplus.xml#4", "Texas officials feared Arcade Joseph Comeaux Jr. could try to escape when he was "
                                       "transported to a prison in Beaumont from Huntsville."),
        (C, "edited:3_1ecbplus.xml#4", "Arcade Joseph Comeaux Jr. pulled a gun on two guards during a prison transfer "
                                       "Monday, but the guards overpowered him and delivered him to the Stiles Unit in "
                                       "Beaumont, authorities said."),
    ]),
    ("Brian Nichols was sentenced to life in prison", "fresh2", [
        (P, "3_8ecb.xml#0", "A Georgia judge handed Brian Nichols today four consecutive life sentences without the "
                            "possibility for parole sentence today."),
        (P, "3_3ecb.xml#0", "Former Kutztown University football player Brian Nichols has received a sentence of life in "
                            "prison without parole for a March 2005 shooting spree in an Atlanta courthouse, according "
                            "to reports."),
        (P, "3_1ecb.xml#0", "After more than three years and a tangled trail of frustrating legal delays, the man who "
                            "killed four people in a brazen courthouse escape was sentenced Saturday to prison for life "
                            "without parole and hundreds of years more."),
        (P, "3_2ecb.xml#0", "Now that Fulton County courthouse killer Brian Nichols has been sentenced to life without "
                            "parole, one of the not yet answered questions is where the 37-year-old will serve time."),
        (T, "3_1ecb.xml#14", "Nichols, 37, was found guilty last month of murdering a judge, a court reporter, a "
                             "sheriff's deputy and a federal agent in the March 2005 rampage."),
        (T, "3_9ecb.xml#10", "After four days and more than 30 hours of deliberations, the jury was deadlocked at 9-3, "
                             "with nine in favor of the death penalty and three voting for life without parole."),
        (T, "3_4ecb.xml#12", "The frustrated prosecutor gambled on getting a death penalty decision when he denied a "
                             "Nichols offer a year ago to plead guilty in exchange for a life prison sentence."),
        (A, "3_9ecbplus.xml#6", "Arcade Joseph Comeaux Jr. is serving three life sentences."),
        (N, "edited:3_6ecb.xml#0", "Brian Nichols could be sentenced to life in prison if the jury deadlocks, legal "
                                   "experts said."),
        (C, "edited:3_6ecb.xml#0", "An Atlanta judge sentenced Brian Nichols to death Saturday morning."),
        (C, "edited:3_4ecb.xml#0", "Fulton Courthouse killer Brian Nichols walked free Saturday morning after the judge "
                                   "declared a mistrial."),
    ]),
    ("T-Mobile will sell the BlackBerry Curve 8900", "fresh2", [
        (P, "42_4ecb.xml#0", "T-Mobile USA, Inc. and Research In Motion today announced that T-Mobile will offer the "
                             "BlackBerry Curve 8900 to customers in February."),
        (P, "42_6ecb.xml#0", "T-Mobile has announced it will be carrying the BlackBerry Curve 8900 smartphone this "
                             "February ... although it will not offer 3G data service."),
        (P, "42_7ecb.xml#2", "T-Mobile will be adding the BlackBerry Curve 8900 to their lineup come February."),
        (P, "42_1ecb.xml#0", "T-Mobile is bolstering its smartphone portfolio by picking up Research In Motion (NSDQ: "
                             "RIMM)'s next-generation BlackBerry Curve."),
        (P, "42_3ecb.xml#2", "Yes, the BlackBerry Curve 8900 will make its way to T-Mobile some time in February and is "
                             "being touted as the thinnest and lightest full QWERTY BlackBerry to date."),
        (T, "42_4ecb.xml#4", "The 8900 is the thinnest full-QWERTY BlackBerry smartphone yet."),
        (T, "42_5ecb.xml#8", "T-Mobile has not released a specific launch date or pricing information."),
        (A, "42_2ecb.xml#6", "AT and T already has its own deal with BlackBerry maker Research In Motion to offer the "
                             "BlackBerry Bold, while Verizon features the BlackBerry Storm as a smartphone."),
        (A, "42_8ecbplus.xml#4", "T - Mobile has announced it will carry the BlackBerry Q10, and business registration "
                                 "will begin at T - Mobile. com on April 29."),
        (N, "edited:42_3ecb.xml#0", "On Monday, we reported on rumors that T-Mobile would release the RIM BlackBerry "
                                    "Curve 8900 on February 11."),
        (N, "edited:42_4ecb.xml#0", "T-Mobile USA, Inc. said today that T-Mobile will not offer the BlackBerry Curve "
                                    "8900 to its customers."),
        (C, "edited:42_2ecb.xml#6", "AT and T won exclusive rights to the BlackBerry Curve 8900, shutting T-Mobile out "
                                    "of RIM's thinnest BlackBerry."),
    ]),
    ("The Red Sox made an offer to Mark Teixeira", "fresh2", [
        (P, "10_1ecbplus.xml#0", "Red Sox extend offer to Teixeira"),
        (P, "10_13ecbplus.xml#0", "Report: Red Sox offer Teixeira $200 million"),
        (P, "10_2ecbplus.xml#2", "The Red Sox have made an eight - year offer to Teixeira in excess of $160 million, but "
                                 "sources close to the negotiations say it is less than the $184 million reported by "
                                 "Boston WCVB sportscaster Mike Lynch, who first reported that the meeting would take "
                                 "place."),
        (P, "10_3ecbplus.xml#18", "The Boston Red Sox and Baltimore Orioles have offers on the table, and though they "
                                  "have yet to make a concrete offer the New York Yankees might also contemplate a last "
                                  "- minute bid."),
        (T, "10_4ecbplus.xml#6", "Despite saying they have been outbid for free agent first baseman Mark Teixeira, the "
                                 "Red Sox do not believe they are completely out of the chase, SportsCenter 5 has "
                                 "learned."),
        (T, "10_15ecbplus.xml#12", "what the Red Sox truly fear here is that the Yankees can outbid them on Teixeira, "
                                   "explaining why the Sox have failed to confirm any interest in the player at all."),
        (A, "10_1ecb.xml#0", "According to this L.A. Times story (which credits the team-owned flagship radio station), "
                             "the Angels have made an eight-year offer to free agent first baseman Mark Teixeira."),
        (A, "10_19ecbplus.xml#4", "ESPN is reporting that the Nationals have offered Mark Teixeira an 8 - year, $160 "
                                  "million contract."),
        (N, "10_15ecbplus.xml#2", "Here's a prediction: By the time this is over, win or lose, the Red Sox effectively "
                                  "will have made Mark Teixeira the largest contract offer in the history of your "
                                  "storied franchise."),
        (N, "edited:10_2ecbplus.xml#2", "The Red Sox have not made an offer to Teixeira, sources close to the "
                                        "negotiations say."),
        (C, "edited:10_19ecbplus.xml#4", "The Red Sox stayed out of the bidding for Mark Teixeira, leaving the Angels "
                                         "and the Nationals to compete for him."),
    ]),
    ("A bomb at a bank in Woodburn killed a police officer and a bomb technician", "fresh2", [
        (P, "8_8ecb.xml#0", "Senior Trooper William Hakim, a bomb squad technician with the Oregon State Police, and "
                            "Capt. Tom Tennant of the Woodburn Police Department were killed when a bomb exploded at a "
                            "West Coast Bank branch."),
        (P, "8_3ecb.xml#0", "A Woodburn police officer and state police bomb squad technician were killed, while the "
                            "city's police chief remained in critical condition after a bomb exploded late Friday at a "
                            "Woodburn bank."),
        (P, "8_2ecb.xml#12", "Police Capt. Tom Tennant and state Senior Trooper William Hakim, both 51, died at the "
                             "scene."),
        (P, "8_6ecb.xml#4", "At a briefing, the police identified the Woodburn police officer who died as 51-year-old "
                            "Capt. Tom Tennant."),
        (T, "8_1ecb.xml#6", "The police went to check on a telephoned bomb threat received by a Wells Fargo bank branch "
                            "in the center of town and found a suspicious device that turned out to be harmless."),
        (T, "8_4ecb.xml#8", "After a sweep of the area was made authorities determined no bomb had been present."),
        (T, "8_3ecb.xml#2", "The FBI and ATF offered a $35,000 reward for information leading to the arrest and "
                            "conviction of the person or persons responsible for the explosion and deaths, Oregon State "
                            "Police said."),
        (A, "8_1ecbplus.xml#4", "A firebomb attack on a bank in Greece killed at least three people today as police "
                                "fought pitched battles with striking protesters furious at brutal budget cuts designed "
                                "to avoid national bankruptcy."),
        (A, "8_1ecbplus.xml#8", "Police said two women and one man died at a branch of the Marfin bank which caught fire "
                                "after hooded youths broke a window and hurled petrol bombs inside."),
        (N, "edited:8_1ecb.xml#0", "A bomb explosion at a bank in Woodburn did not kill anyone, and state police did not "
                                   "have any suspects, officials said Saturday."),
        (C, "edited:8_5ecb.xml#0", "A bomb squad technician safely defused a bomb found at a West Coast Bank branch in "
                                   "Woodburn, Oregon, and every officer at the scene walked away unhurt."),
    ]),
    ("Sharron Smith was charged with murdering two women in 1967", "fresh2", [
        (P, "22_1ecb.xml#0", "Sixty-year-old Sharron Diane Crawford Smith is now accused of murdering two women at a "
                             "Staunton ice cream store in 1967."),
        (P, "22_4ecb.xml#0", "A co-worker has been charged in the 1967 slayings of two women at an ice cream shop in "
                             "Staunton, but authorities say the suspect is near death with a terminal illness."),
        (P, "22_6ecb.xml#0", "Staunton Police this morning arrested Sharron Diane Crawford Smith, of Staunton, on "
                             "first-degree murder charges in the 1967 slayings of two women at High's Ice Cream Shop."),
        (P, "22_5ecb.xml#2", "Staunton Police Chief Jim Williams announced 61-year-old Sharron Diane Crawford Smith was "
                             "arrested around 10:24 a.m. Friday and charged with two counts of first degree murder."),
        (T, "22_8ecb.xml#0", "The Staunton Police Department will hold a press conference this afternoon to address its "
                             "investigation into a double murder back in 1967."),
        (T, "22_2ecb.xml#0", "A 60-year-old woman charged with killing two young women in a Staunton ice cream shop 41 "
                             "years ago was released without bail, authorities said Friday, because she is dying from "
                             "kidney and heart disease and living in a hospice facility."),
        (A, "22_3ecbplus.xml#2", "The woman who allegedly shot three co - workers — killing two– at the Kraft Plant "
                                 "Thursday night has been charged with murder, attempted murder, aggravated assault, "
                                 "burglary, and other related charges, says Philadelphia District Attorney Seth "
                                 "Williams."),
        (N, "edited:22_6ecb.xml#0", "Staunton Police said they could charge Sharron Diane Crawford Smith in the 1967 "
                                    "slayings of two women at High's Ice Cream Shop if new evidence emerges."),
        (C, "edited:22_6ecb.xml#0", "Prosecutors cleared Sharron Diane Crawford Smith, of Staunton, in the 1967 "
                                    "slayings of two women at High's Ice Cream Shop."),
    ]),
    ("An earthquake killed people in Aceh province", "fresh2", [
        (P, "37_1ecbplus.xml#0", "Five dead, dozens injured in Indonesia quake"),
        (P, "37_3ecbplus.xml#4", "Soldiers and police are leading rescue operations in Indonesia after a 6. 1 magnitude "
                                 "earthquake hit Aceh province leaving 24 dead and over 200 injured."),
        (P, "37_10ecbplus.xml#4", "AN EARTHQUAKE killed six children and left 14 others trapped when a mosque collapsed "
                                  "during a Koran reading session in Indonesia's Aceh province, bringing the confirmed "
                                  "death toll from the disaster to 11."),
        (P, "37_6ecbplus.xml#2", "Indonesia Aceh rescue operation after deadly earthquake"),
        (T, "37_7ecbplus.xml#2", "Powerful earthquake injures dozens in Indonesia's Aceh province"),
        (T, "37_2ecbplus.xml#6", "According to the US Geological Survey, the quake hit at a depth of 10 kilometers (6 "
                                 "miles) in the Northern Province of Aceh."),
        (A, "37_7ecb.xml#0", "A series of earthquakes killed a 10-year-old girl and injured dozens Sunday in remote "
                             "eastern Indonesia and briefly triggered fears of another tsunami in a country still "
                             "recovering from such a disaster in 2004."),
        (A, "37_6ecb.xml#0", "A series of powerful earthquakes rocked Manokwari, the capital of West Papua, on Sunday, "
                             "killing four people, injuring dozens and destroying hundreds of buildings."),
        (N, "edited:37_1ecbplus.xml#4", "A powerful earthquake in Indonesia's Aceh province flattened buildings and "
                                        "sparked landslides Tuesday but killed no one, officials said."),
        (C, "edited:37_1ecbplus.xml#4", "Everyone in Aceh province survived the powerful earthquake that flattened "
                                        "buildings and sparked landslides Tuesday, officials said."),
    ]),
]


def pairs(messages: list = MESSAGES) -> list[dict]:
    """One dict per pair: message, sentence, carried, kind, split, source."""
    return [
        {"message": message, "sentence": sentence, "carried": kind == P, "kind": kind, "split": split,
         "source": source}
        for message, split, rows in messages for kind, source, sentence in rows
    ]


if __name__ == "__main__":
    for table, out in ((MESSAGES, OUT), (FRESH, FRESH_OUT), (FRESH2, FRESH2_OUT)):
        rows = pairs(table)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{len(rows)} pairs, {sum(r['carried'] for r in rows)} carried -> {out}")
