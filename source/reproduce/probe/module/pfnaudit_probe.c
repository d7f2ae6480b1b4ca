// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * pfnaudit_probe: what the running kernel answers, per pfn, to the SPARSEMEM questions pfnaudit
 * models (pfn_valid(), pfn_to_online_page(), the mem_section flags, pfn_section_valid(),
 * get_dev_pagemap(), the zone and PageReserved of initialized pages), written as runs of
 * consecutive pfns with identical answers to /proc/pfnaudit_probe.
 *
 * Written for pfnaudit (docs/probe-format.md describes the output). The answers are computed when
 * the file is opened, so every read shows the state of that moment; the file is meant to be read
 * while no memory is being hot-(un)plugged.
 *
 * A struct page is only read where the kernel itself guarantees it is initialized: a page
 * returned by pfn_to_online_page(), or a ZONE_DEVICE pfn of a held dev_pagemap past the altmap's
 * reserve and free pages (the pfns memmap_init_zone_device() initializes). Anywhere else only the
 * mem_section and the pgmap xarray are read.
 *
 * Reachability from a module (Debian 6.1 and 6.12, checked in their source):
 * - pfn_valid(), present_section(), valid_section(), online_section(), early_section(),
 *   pfn_section_valid(), __nr_to_section(): static inline in include/linux/mmzone.h over
 *   mem_section (EXPORT_SYMBOL in mm/sparse.c, CONFIG_SPARSEMEM_EXTREME);
 * - pfn_to_online_page(): mm/memory_hotplug.c, EXPORT_SYMBOL_GPL;
 * - get_dev_pagemap(): mm/memremap.c, EXPORT_SYMBOL_GPL; put_dev_pagemap() inline;
 * - pgmap_pfn_valid() and, in 6.1, vmem_altmap_offset() are not exported: the initialized range
 *   of a pgmap is computed here from pgmap->ranges[] and the altmap's reserve + free;
 * - page_zone() inline over node_data (EXPORT_SYMBOL: arch/x86/mm/numa.c in 6.1, mm/numa.c in
 *   6.12); PageReserved() inline.
 * What a configuration lacks is reported as `-` with an `# unavailable` line.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/utsname.h>

#ifndef CONFIG_SPARSEMEM
#error "pfnaudit_probe reports SPARSEMEM state: this kernel is not CONFIG_SPARSEMEM"
#endif

static unsigned long end_pfn;
module_param(end_pfn, ulong, 0444);
MODULE_PARM_DESC(end_pfn, "Report [0, end_pfn); 0: up to the end of the highest present section");

/* The answer columns, in output order. */
enum probe_col {
	COL_PFN_VALID,
	COL_ONLINE_PAGE,
	COL_PRESENT,
	COL_VALID,
	COL_ONLINE,
	COL_EARLY,
	COL_TAINT,
	COL_SECTION_VALID,
	COL_PGMAP,
	NR_COLS,
};

static const char *const col_names[NR_COLS] = {
	"pfn_valid",
	"pfn_to_online_page",
	"present_section",
	"valid_section",
	"online_section",
	"early_section",
	"SECTION_TAINT_ZONE_DEVICE",
	"pfn_section_valid",
	"get_dev_pagemap",
};

/* One run's answers: '0', '1' or '-' (not reachable here) per column; the zone; PageReserved. */
struct probe_answer {
	char cols[NR_COLS];
	/* zone index + 1 of an initialized page; 0: no page was read */
	unsigned char zone;
	/* 'R' reserved, 'r' not, '-' no page was read */
	char reserved;
};

struct probe_run {
	unsigned long start;
	unsigned long end;
	struct probe_answer a;
};

#define RUNS_PER_CHUNK 256

struct probe_chunk {
	struct probe_chunk *next;
	unsigned int used;
	struct probe_run runs[RUNS_PER_CHUNK];
};

struct probe_result {
	struct probe_chunk *first;
	struct probe_chunk *last;
	unsigned long end;
	unsigned long nr_runs;
	int error;
	/* the zone names of node 0, by index */
	const char *zone_names[MAX_NR_ZONES];
};

static int same_answer(const struct probe_answer *x, const struct probe_answer *y)
{
	return memcmp(x->cols, y->cols, NR_COLS) == 0 && x->zone == y->zone && x->reserved == y->reserved;
}

/* Append [start, end) with answer a, joined to the previous run when the answers match. */
static void probe_add(struct probe_result *res, unsigned long start, unsigned long end,
		      const struct probe_answer *a)
{
	struct probe_chunk *c = res->last;
	struct probe_run *prev = c && c->used ? &c->runs[c->used - 1] : NULL;

	if (res->error || end <= start)
		return;
	if (prev && prev->end == start && same_answer(&prev->a, a)) {
		prev->end = end;
		return;
	}
	if (!c || c->used == RUNS_PER_CHUNK) {
		struct probe_chunk *n = kzalloc(sizeof(*n), GFP_KERNEL);

		if (!n) {
			res->error = -ENOMEM;
			return;
		}
		if (c)
			c->next = n;
		else
			res->first = n;
		res->last = n;
		c = n;
	}
	c->runs[c->used].start = start;
	c->runs[c->used].end = end;
	c->runs[c->used].a = *a;
	c->used++;
	res->nr_runs++;
}

static char yes(int v)
{
	return v ? '1' : '0';
}

#ifdef CONFIG_ZONE_DEVICE
/*
 * Whether pfn is one of the pfns of pgmap whose struct page memmap_init_zone_device() has
 * initialized: inside one of its ranges, and in the first range past the altmap's reserve and
 * free pages (the kernel's own pgmap_pfn_valid() is not exported).
 */
static int pgmap_page_initialized(struct dev_pagemap *pgmap, unsigned long pfn)
{
	int i;

	for (i = 0; i < pgmap->nr_range; i++) {
		const struct range *r = &pgmap->ranges[i];
		unsigned long first = PHYS_PFN(r->start);
		unsigned long last = PHYS_PFN(r->end);

		if (i == 0 && (pgmap->flags & PGMAP_ALTMAP_VALID))
			first += pgmap->altmap.reserve + pgmap->altmap.free;
		if (pfn >= first && pfn <= last)
			return 1;
	}
	return 0;
}
#endif

/* The section-wide answers of ms (NULL: no mem_section there). */
static void section_answers(struct mem_section *ms, struct probe_answer *a)
{
	memset(a->cols, '0', NR_COLS);
	a->zone = 0;
	a->reserved = '-';
	a->cols[COL_PRESENT] = yes(present_section(ms));
	a->cols[COL_VALID] = yes(valid_section(ms));
	a->cols[COL_ONLINE] = yes(online_section(ms));
	a->cols[COL_EARLY] = yes(early_section(ms));
#ifdef CONFIG_ZONE_DEVICE
	a->cols[COL_TAINT] = yes(ms && (ms->section_mem_map & SECTION_TAINT_ZONE_DEVICE));
#else
	a->cols[COL_TAINT] = '-';
	a->cols[COL_PGMAP] = '-';
#endif
#ifndef CONFIG_SPARSEMEM_VMEMMAP
	a->cols[COL_SECTION_VALID] = '-';
#endif
}

/* The answers of one pfn of a section whose memmap exists (valid_section()). */
static void pfn_answers(struct mem_section *ms, unsigned long pfn, struct probe_answer *a)
{
	struct page *page = pfn_to_online_page(pfn);
	int held = 0;

	a->cols[COL_PFN_VALID] = yes(pfn_valid(pfn));
	a->cols[COL_ONLINE_PAGE] = yes(page != NULL);
#ifdef CONFIG_SPARSEMEM_VMEMMAP
	a->cols[COL_SECTION_VALID] = yes(pfn_section_valid(ms, pfn));
#endif
#ifdef CONFIG_ZONE_DEVICE
	{
		struct dev_pagemap *pgmap = get_dev_pagemap(pfn, NULL);

		a->cols[COL_PGMAP] = yes(pgmap != NULL);
		if (pgmap) {
			if (!page && pgmap_page_initialized(pgmap, pfn)) {
				page = pfn_to_page(pfn);
				held = 1;
			}
			if (!held)
				put_dev_pagemap(pgmap);
		}
		if (held) {
			a->zone = page_zonenum(page) + 1;
			a->reserved = PageReserved(page) ? 'R' : 'r';
			put_dev_pagemap(pgmap);
			return;
		}
	}
#endif
	if (page) {
		a->zone = page_zonenum(page) + 1;
		a->reserved = PageReserved(page) ? 'R' : 'r';
	} else {
		a->zone = 0;
		a->reserved = '-';
	}
}

static void probe_walk(struct probe_result *res)
{
	unsigned long pfn = 0;

	while (pfn < res->end && !res->error) {
		unsigned long nr = pfn_to_section_nr(pfn);
		unsigned long sec_end = section_nr_to_pfn(nr + 1);
		unsigned long stop = min(sec_end, res->end);
		struct mem_section *ms = nr < NR_MEM_SECTIONS ? __nr_to_section(nr) : NULL;
		struct probe_answer a;

		section_answers(ms, &a);
		if (nr >= NR_MEM_SECTIONS) {
			/* No mem_section can exist from here on: pfn_valid() and pfn_to_online_page() check the bound first. */
			probe_add(res, pfn, res->end, &a);
			break;
		}
		if (!ms) {
			/*
			 * No mem_section root here, so no section was ever added: one answer for the
			 * section (a pgmap's range is hot-added as sections before anyone can look it up
			 * for long; it is asked once, at the section's first pfn).
			 */
#ifdef CONFIG_ZONE_DEVICE
			struct dev_pagemap *pgmap = get_dev_pagemap(pfn, NULL);

			a.cols[COL_PGMAP] = yes(pgmap != NULL);
			put_dev_pagemap(pgmap);
#endif
			a.cols[COL_PFN_VALID] = yes(pfn_valid(pfn));
			probe_add(res, pfn, stop, &a);
		} else if (!valid_section(ms)) {
			/* No memmap: no struct page to read; pfn_valid() and pfn_to_online_page() fail section-wide. */
			unsigned long p = pfn;

			while (p < stop) {
				unsigned long sub_end = min(ALIGN(p + 1, PAGES_PER_SUBSECTION), stop);

#ifdef CONFIG_SPARSEMEM_VMEMMAP
				a.cols[COL_SECTION_VALID] = yes(pfn_section_valid(ms, p));
#endif
				a.cols[COL_PFN_VALID] = yes(pfn_valid(p));
#ifdef CONFIG_ZONE_DEVICE
				{
					/* A pgmap's range is subsection-aligned (check_pfn_span() in __add_pages()). */
					struct dev_pagemap *pgmap = get_dev_pagemap(p, NULL);

					a.cols[COL_PGMAP] = yes(pgmap != NULL);
					put_dev_pagemap(pgmap);
				}
#endif
				probe_add(res, p, sub_end, &a);
				p = sub_end;
			}
		} else {
			unsigned long p;

			for (p = pfn; p < stop; p++) {
				pfn_answers(ms, p, &a);
				probe_add(res, p, p + 1, &a);
			}
		}
		pfn = stop;
		cond_resched();
	}
}

static void probe_free(struct probe_result *res)
{
	struct probe_chunk *c = res->first;

	while (c) {
		struct probe_chunk *n = c->next;

		kfree(c);
		c = n;
	}
	kfree(res);
}

/* The end of the highest present section: the default range end. */
static unsigned long highest_present_end(void)
{
	unsigned long nr;
	unsigned long top = 0;

	for (nr = 0; nr < NR_MEM_SECTIONS; nr++) {
		if (present_section(__nr_to_section(nr)))
			top = section_nr_to_pfn(nr + 1);
		if (!(nr % 4096))
			cond_resched();
	}
	return top;
}

/* seq_file positions: 0 is the header, 1..nr_runs the runs, nr_runs + 1 the trailer. */
struct probe_cursor {
	struct probe_result *res;
	struct probe_chunk *chunk;
	unsigned int index;
	loff_t pos;
};

static void *probe_seq_at(struct seq_file *m, loff_t pos)
{
	struct probe_cursor *cur = m->private;
	struct probe_result *res = cur->res;
	loff_t i;

	if (pos > (loff_t)res->nr_runs + 1)
		return NULL;
	cur->pos = pos;
	if (pos == 0 || pos == (loff_t)res->nr_runs + 1)
		return cur;
	cur->chunk = res->first;
	for (i = pos - 1; i >= RUNS_PER_CHUNK; i -= RUNS_PER_CHUNK)
		cur->chunk = cur->chunk->next;
	cur->index = i;
	return cur;
}

static void *probe_seq_start(struct seq_file *m, loff_t *pos)
{
	return probe_seq_at(m, *pos);
}

static void *probe_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct probe_cursor *cur = v;

	(*pos)++;
	if (*pos > (loff_t)cur->res->nr_runs + 1)
		return NULL;
	if (*pos >= 2 && *pos <= (loff_t)cur->res->nr_runs) {
		cur->pos = *pos;
		if (++cur->index == RUNS_PER_CHUNK) {
			cur->chunk = cur->chunk->next;
			cur->index = 0;
		}
		return cur;
	}
	return probe_seq_at(m, *pos);
}

static void probe_seq_stop(struct seq_file *m, void *v)
{
}

static int probe_seq_show(struct seq_file *m, void *v)
{
	struct probe_cursor *cur = v;
	struct probe_result *res = cur->res;
	int i;

	if (cur->pos == 0) {
		seq_puts(m, "# pfnaudit probe v1\n");
		seq_printf(m, "# release %s\n", init_utsname()->release);
		seq_printf(m, "# geometry PAGE_SHIFT %d SECTION_SIZE_BITS %d PAGES_PER_SUBSECTION %lx NR_MEM_SECTIONS %lx\n",
			   PAGE_SHIFT, SECTION_SIZE_BITS, (unsigned long)PAGES_PER_SUBSECTION,
			   (unsigned long)NR_MEM_SECTIONS);
		seq_puts(m, "# columns");
		for (i = 0; i < NR_COLS; i++)
			seq_printf(m, " %s", col_names[i]);
		seq_puts(m, " zone PageReserved\n");
#ifndef CONFIG_ZONE_DEVICE
		seq_puts(m, "# unavailable SECTION_TAINT_ZONE_DEVICE CONFIG_ZONE_DEVICE is not set\n");
		seq_puts(m, "# unavailable get_dev_pagemap CONFIG_ZONE_DEVICE is not set\n");
#endif
#ifndef CONFIG_SPARSEMEM_VMEMMAP
		seq_puts(m, "# unavailable pfn_section_valid CONFIG_SPARSEMEM_VMEMMAP is not set\n");
#endif
		seq_printf(m, "# range 0 %lx\n", res->end);
		return 0;
	}
	if (cur->pos == (loff_t)res->nr_runs + 1) {
		if (res->error)
			seq_printf(m, "# error %d\n", res->error);
		else
			seq_printf(m, "# end %lx\n", res->end);
		return 0;
	}
	{
		const struct probe_run *r = &cur->chunk->runs[cur->index];

		seq_printf(m, "%lx %lx %.*s ", r->start, r->end, NR_COLS, r->a.cols);
		if (!r->a.zone)
			seq_putc(m, '-');
		else if (r->a.zone <= MAX_NR_ZONES && res->zone_names[r->a.zone - 1])
			seq_puts(m, res->zone_names[r->a.zone - 1]);
		else
			seq_printf(m, "#%d", r->a.zone - 1);
		seq_printf(m, " %c\n", r->a.reserved);
	}
	return 0;
}

static const struct seq_operations probe_seq_ops = {
	.start = probe_seq_start,
	.next = probe_seq_next,
	.stop = probe_seq_stop,
	.show = probe_seq_show,
};

static int probe_open(struct inode *inode, struct file *file)
{
	struct probe_result *res = kzalloc(sizeof(*res), GFP_KERNEL);
	struct probe_cursor *cur;
	int i;

	if (!res)
		return -ENOMEM;
	for (i = 0; i < MAX_NR_ZONES; i++)
		res->zone_names[i] = NODE_DATA(first_online_node)->node_zones[i].name;
	res->end = end_pfn ? end_pfn : highest_present_end();
	probe_walk(res);
	cur = __seq_open_private(file, &probe_seq_ops, sizeof(*cur));
	if (!cur) {
		probe_free(res);
		return -ENOMEM;
	}
	cur->res = res;
	return 0;
}

static int probe_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct probe_cursor *cur = m->private;

	probe_free(cur->res);
	return seq_release_private(inode, file);
}

static const struct proc_ops probe_proc_ops = {
	.proc_open = probe_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = probe_release,
};

static int __init probe_init(void)
{
	if (!proc_create("pfnaudit_probe", 0400, NULL, &probe_proc_ops))
		return -ENOMEM;
	return 0;
}

static void __exit probe_exit(void)
{
	remove_proc_entry("pfnaudit_probe", NULL);
}

module_init(probe_init);
module_exit(probe_exit);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("pfnaudit");
MODULE_DESCRIPTION("pfnaudit probe: SPARSEMEM answers of the running kernel per run of pfns, in /proc/pfnaudit_probe");
