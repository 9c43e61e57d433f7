#include <deal.II/base/utilities.h>

#include <deal.II/dofs/dof_tools.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/files.h>
#include <mollifem/coefficient/hybrid_coefficient.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/study/study.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace mollifem
{
  namespace
  {
    const char *const checkpoint_name = "checkpoint.txt";
    /// The first line of a checkpoint of this format.
    const std::string checkpoint_version = "mollifem checkpoint 5";

    /// 64-bit FNV-1a: a hash that is the same on every machine.
    std::string
    fnv1a(const std::string &text)
    {
      std::uint64_t hash = 14695981039346656037ull;
      for (const unsigned char c : text)
        {
          hash ^= c;
          hash *= 1099511628211ull;
        }
      std::ostringstream out;
      out << std::hex << std::setw(16) << std::setfill('0') << hash;
      return out.str();
    }

    /// The next line of @p in, which must start with @p key; returns the
    /// rest. A checkpoint that is not as written stops the run.
    std::string
    expect(std::istream &in, const std::string &key, const std::string &file)
    {
      std::string line;
      AssertThrow(std::getline(in, line) && line.compare(0, key.size(), key) == 0,
                  ExcFile(file,
                          0,
                          "a damaged checkpoint: expected '" + key +
                            "', found '" + line + "'."));
      return line.size() > key.size() ? line.substr(key.size() + 1) : "";
    }

    /// The lines "CellId v_1 ... v_n" of the locally owned cells: the
    /// values of @p field (ghosted, on @p dofs) at each cell's degrees of
    /// freedom, a record that does not depend on the partition.
    template <int dim>
    std::string
    cell_values_text(const DoFHandler<dim> &dofs, const LA::Vector &field)
    {
      std::ostringstream out;
      out << std::setprecision(17);
      Vector<double> values(dofs.get_fe().n_dofs_per_cell());
      for (const auto &cell : dofs.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell->get_dof_values(field, values);
            out << cell->id().to_string();
            for (const double v : values)
              out << ' ' << v;
            out << '\n';
          }
      return out.str();
    }

    /// Set the locally owned entries of @p field (on @p dofs) from such
    /// records; returns the number of locally owned cells without one.
    template <int dim>
    unsigned int
    set_from_cell_values(const DoFHandler<dim> &                            dofs,
                         const std::map<std::string, std::vector<double>> &records,
                         LA::Vector &                                       field)
    {
      std::vector<types::global_dof_index> indices(dofs.get_fe().n_dofs_per_cell());
      unsigned int                         missing = 0;
      for (const auto &cell : dofs.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            const auto entry = records.find(cell->id().to_string());
            if (entry == records.end() || entry->second.size() != indices.size())
              {
                ++missing;
                continue;
              }
            cell->get_dof_indices(indices);
            for (unsigned int i = 0; i < indices.size(); ++i)
              if (dofs.locally_owned_dofs().is_element(indices[i]))
                field[indices[i]] = entry->second[i];
          }
      field.compress(VectorOperation::insert);
      return missing;
    }

    /// Read @p n records "CellId v_1 ... v_n" from @p in.
    std::map<std::string, std::vector<double>>
    read_cell_values(std::istream &in, const unsigned int n)
    {
      std::map<std::string, std::vector<double>> records;
      std::string                                line;
      for (unsigned int k = 0; k < n && std::getline(in, line); ++k)
        {
          std::istringstream  values(line);
          std::string         id;
          std::vector<double> v;
          values >> id;
          for (double x; values >> x;)
            v.push_back(x);
          records[id] = v;
        }
      return records;
    }
  } // namespace



  template <int dim>
  void
  Study<dim>::set_resume(const bool resume)
  {
    this->resume = resume;
  }



  template <int dim>
  std::string
  Study<dim>::parameters_fingerprint() const
  {
    std::ostringstream all;
    prm.print_parameters(all, ParameterHandler::ShortPRM);
    std::istringstream in(all.str());
    std::string        line, kept;
    while (std::getline(in, line))
      if (line.find("Stop after checkpoints") == std::string::npos)
        kept += line + '\n';
    return fnv1a(kept);
  }



  template <int dim>
  void
  Study<dim>::write_checkpoint(const IterationReport &                report,
                               const double                           reference_gradient,
                               const std::vector<const LA::Vector *> &states,
                               const std::string &                    history,
                               const std::vector<std::pair<double, std::string>> &records,
                               const LevelPosition &                  position,
                               const CoarseLevel *                    coarse) const
  {
    // The iterate: an FE field's nodal values cell by cell (independent of
    // the partition), a network's weights as they are.
    LA::Vector fe_parameters, network;
    split_parameters(report.parameters, fe_parameters, network);

    std::string cells;
    if (fe_parameters.size() > 0)
      {
        const DoFHandler<dim> &dofs = coefficient_dofs();
        IndexSet               relevant;
        DoFTools::extract_locally_relevant_dofs(dofs, relevant);
        LA::Vector ghosted(dofs.locally_owned_dofs(), relevant, communicator);
        ghosted = fe_parameters;
        cells   = cell_values_text(dofs, ghosted);
      }
    const auto all_cells = Utilities::MPI::gather(communicator, cells, 0);
    // The steady states, where the next forward solves start.
    std::vector<std::vector<std::string>> all_states;
    for (unsigned int e = 0; e < states.size(); ++e)
      all_states.push_back(Utilities::MPI::gather(
        communicator,
        cell_values_text(solvers[e]->dof_handler(), *states[e]),
        0));
    std::vector<std::vector<std::string>> all_coarse_states;
    if (coarse != nullptr)
      {
        const std::vector<LA::Vector> start = coarse->objective->start_states();
        for (unsigned int e = 0; e < start.size(); ++e)
          all_coarse_states.push_back(Utilities::MPI::gather(
            communicator,
            cell_values_text(coarse->solvers[e]->dof_handler(), start[e]),
            0));
      }
    const auto n_lines = [](const std::vector<std::string> &parts) {
      unsigned int n = 0;
      for (const auto &part : parts)
        n += std::count(part.begin(), part.end(), '\n');
      return n;
    };
    // A network's weights are owned by rank 0.
    std::vector<double> weights;
    if (network.size() > 0)
      for (const auto i : network.locally_owned_elements())
        weights.push_back(network[i]);

    ++n_checkpoints;
    if (Utilities::MPI::this_mpi_process(communicator) != 0)
      return;
    write_file_atomically(
      join_path(output_parameters.directory, checkpoint_name),
      [&](std::ostream &out) {
        out << std::setprecision(17) << checkpoint_version << '\n'
            << "fingerprint " << parameters_fingerprint() << '\n'
            << "cycle " << stage_2_cycle << '\n'
            << "iteration " << report.iteration << '\n'
            << "radius " << report.radius << '\n'
            << "reference_gradient " << reference_gradient << '\n'
            << "weight " << regularization->weight() << '\n'
            << "discrepancy_iterations " << discrepancy_iterations << '\n'
            << "refinements " << refinement_history.size() << '\n';
        for (const auto &cycle : refinement_history)
          {
            out << cycle.size();
            for (const auto &id : cycle)
              out << ' ' << id;
            out << '\n';
          }
        out << "cycles " << stage_2_cycles.size() << '\n';
        for (const AdaptiveCycle &row : stage_2_cycles)
          {
            row.write(out, ' ');
            out << '\n';
          }
        out << "history " << std::count(history.begin(), history.end(), '\n')
            << '\n'
            << history;
        out << "records " << records.size() << '\n';
        for (const auto &[time, file] : records)
          out << time << ' ' << file << '\n';
        out << "cells " << n_lines(all_cells) << '\n';
        for (const auto &part : all_cells)
          out << part;
        for (const auto &[name, set] :
             {std::make_pair("states", &all_states),
              std::make_pair("coarse_states", &all_coarse_states)})
          {
            out << name << ' ' << set->size() << '\n';
            for (const auto &state : *set)
              {
                out << "state " << n_lines(state) << '\n';
                for (const auto &part : state)
                  out << part;
              }
          }
        out << "network " << weights.size() << '\n';
        for (unsigned int i = 0; i < weights.size(); ++i)
          out << (i > 0 ? " " : "") << weights[i];
        // Model error correction: the estimates made so far on this level
        // or cycle, and the error of every prediction (the same on every
        // rank).
        out << "\ncorrection " << correction_estimates << ' '
            << earlier_pass_iterations << ' ' << prediction_correction.size();
        for (const auto &experiment : prediction_correction)
          {
            out << '\n'
                << experiment.size() << ' '
                << (experiment.empty() ? 0 : experiment.front().size());
            for (const auto &snapshot : experiment)
              {
                out << '\n';
                for (unsigned int j = 0; j < snapshot.size(); ++j)
                  out << (j > 0 ? " " : "") << snapshot[j];
              }
          }
        const SequencingProgress &q = sequencing;
        out << "\nlevel " << sequencing_level << '\n'
            << "sequencing " << q.work << ' ' << q.seconds << ' '
            << q.iterations << ' ' << q.solves.n_forward << ' '
            << q.solves.n_failed_forward << ' ' << q.solves.n_adjoint << ' '
            << q.solves.n_incremental << ' ' << q.reference_gradient << ' '
            << q.reference_scale << ' ' << q.last_decrease << ' '
            << q.decrease_ratio << ' ' << q.radius << ' ' << q.radius_unknowns
            << ' ' << q.last_target << ' ' << q.correction_neglected << '\n'
            << "levels_summary " << summary.section("stage 2 levels") << '\n'
            << "level_start_value " << position.start_value << '\n'
            << "before_weight_check " << position.before_weight_check << '\n'
            << "last_decrease " << report.decrease << '\n'
            << "stopped_by_decrease " << report.stops_by_decrease << '\n'
            << "newton_ratio " << report.newton_ratio << '\n'
            << "stage_2_summary " << summary.section("stage 2") << '\n'
            << "end\n";
      });
  }



  template <int dim>
  std::unique_ptr<typename Study<dim>::Checkpoint>
  Study<dim>::read_checkpoint() const
  {
    const std::string file =
      join_path(output_parameters.directory, checkpoint_name);
    std::ifstream in(file);
    AssertThrow(in.good(),
                ExcFile(file,
                        0,
                        "--resume: there is no checkpoint to continue from "
                        "(Inverse problem/Stage 2/Checkpoint interval writes "
                        "it; a finished run removes it)."));
    auto        c = std::make_unique<Checkpoint>();
    std::string version;
    std::getline(in, version);
    AssertThrow(version == checkpoint_version,
                ExcFile(file,
                        1,
                        version.compare(0, 19, "mollifem checkpoint") == 0 ?
                          "--resume: the checkpoint was written by another "
                          "version of mollifem ('" + version + "', this one "
                          "reads '" + checkpoint_version + "'); start the "
                          "run again." :
                          "--resume: this is no mollifem checkpoint."));
    AssertThrow(expect(in, "fingerprint", file) == parameters_fingerprint(),
                ExcFile(file,
                        0,
                        "--resume: the checkpoint was written with other "
                        "parameters; only 'Stop after checkpoints' may "
                        "change."));
    c->cycle     = std::stoul(expect(in, "cycle", file));
    c->iteration = std::stoul(expect(in, "iteration", file));
    c->radius    = std::stod(expect(in, "radius", file));
    c->reference_gradient     = std::stod(expect(in, "reference_gradient", file));
    c->weight                 = std::stod(expect(in, "weight", file));
    c->discrepancy_iterations = std::stoul(expect(in, "discrepancy_iterations", file));
    const unsigned int n_refinements = std::stoul(expect(in, "refinements", file));
    std::string        line;
    for (unsigned int r = 0; r < n_refinements; ++r)
      {
        AssertThrow(std::getline(in, line), ExcFile(file, 0, "a damaged checkpoint."));
        std::istringstream  cells(line);
        unsigned int        n = 0;
        cells >> n;
        std::vector<std::string> ids(n);
        for (auto &id : ids)
          cells >> id;
        c->refinements.push_back(ids);
      }
    const unsigned int n_cycles = std::stoul(expect(in, "cycles", file));
    for (unsigned int k = 0; k < n_cycles; ++k)
      {
        AdaptiveCycle row;
        in >> row.active_cells >> row.state_unknowns >> row.parameter_unknowns >>
          row.iterations >> row.misfit >> row.scores.correlation >>
          row.scores.correlation_interior >> row.scores.relative_error >>
          row.scores.relative_error_interior >> row.forward_solve_equivalents >>
          row.seconds;
        in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
        c->cycles.push_back(row);
      }
    const unsigned int n_lines = std::stoul(expect(in, "history", file));
    for (unsigned int k = 0; k < n_lines && std::getline(in, line); ++k)
      c->history += line + '\n';
    const unsigned int n_records = std::stoul(expect(in, "records", file));
    for (unsigned int k = 0; k < n_records && std::getline(in, line); ++k)
      {
        std::istringstream record(line);
        double             time = 0.;
        std::string        name;
        record >> time >> name;
        c->records.emplace_back(time, name);
      }
    c->cell_values = read_cell_values(in, std::stoul(expect(in, "cells", file)));
    for (auto &[name, set] : {std::make_pair("states", &c->states),
                              std::make_pair("coarse_states", &c->coarse_states)})
      {
        const unsigned int n_states = std::stoul(expect(in, name, file));
        for (unsigned int e = 0; e < n_states; ++e)
          set->push_back(
            read_cell_values(in, std::stoul(expect(in, "state", file))));
      }
    const unsigned int n_weights = std::stoul(expect(in, "network", file));
    c->network.resize(n_weights);
    for (double &w : c->network)
      in >> w;
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    {
      std::istringstream correction(expect(in, "correction", file));
      unsigned int       n_experiments = 0;
      correction >> c->correction_estimates >> c->earlier_pass_iterations >>
        n_experiments;
      AssertThrow(!correction.fail(), ExcFile(file, 0, "a damaged checkpoint."));
      c->prediction_correction.resize(n_experiments);
      for (auto &experiment : c->prediction_correction)
        {
          unsigned int n_snapshots = 0, n_points = 0;
          in >> n_snapshots >> n_points;
          experiment.assign(n_snapshots, std::vector<double>(n_points));
          for (auto &snapshot : experiment)
            for (double &v : snapshot)
              in >> v;
          AssertThrow(!in.fail(), ExcFile(file, 0, "a damaged checkpoint."));
        }
      // The end of the last value's line.
      if (n_experiments > 0)
        in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    c->level = std::stoul(expect(in, "level", file));
    {
      std::istringstream  progress(expect(in, "sequencing", file));
      SequencingProgress &q = c->sequencing;
      progress >> q.work >> q.seconds >> q.iterations >> q.solves.n_forward >>
        q.solves.n_failed_forward >> q.solves.n_adjoint >>
        q.solves.n_incremental >> q.reference_gradient >> q.reference_scale >>
        q.last_decrease >> q.decrease_ratio >> q.radius >> q.radius_unknowns >>
        q.last_target >> q.correction_neglected;
      AssertThrow(!progress.fail(), ExcFile(file, 0, "a damaged checkpoint."));
    }
    c->levels_summary      = expect(in, "levels_summary", file);
    c->level_start_value   = std::stod(expect(in, "level_start_value", file));
    c->before_weight_check = expect(in, "before_weight_check", file) == "1";
    c->last_decrease       = std::stod(expect(in, "last_decrease", file));
    c->stopped_by_decrease = expect(in, "stopped_by_decrease", file) == "1";
    c->newton_ratio        = std::stod(expect(in, "newton_ratio", file));
    c->stage_2_summary     = expect(in, "stage_2_summary", file);
    expect(in, "end", file);
    return c;
  }



  template <int dim>
  std::vector<LA::Vector>
  Study<dim>::checkpoint_states(
    const std::vector<std::map<std::string, std::vector<double>>> &records,
    const std::vector<std::unique_ptr<StateSolver<dim>>> &          solvers) const
  {
    std::vector<LA::Vector> states;
    for (unsigned int e = 0; e < records.size(); ++e)
      {
        LA::Vector owned = solvers[e]->make_owned_vector();
        const unsigned int missing =
          set_from_cell_values(solvers[e]->dof_handler(), records[e], owned);
        AssertThrow(Utilities::MPI::sum(missing, communicator) == 0,
                    ExcFile(join_path(output_parameters.directory, checkpoint_name),
                            0,
                            "the checkpoint's state does not fit the mesh."));
        states.push_back(solvers[e]->make_ghosted_vector());
        states.back() = owned;
      }
    return states;
  }



  template <int dim>
  void
  Study<dim>::restore_checkpoint(const Checkpoint &c)
  {
    pcout << "Resuming stage 2 from the checkpoint at iteration " << c.iteration;
    if (c.before_weight_check)
      pcout << " of the optimization at the last level's weight (before the "
               "discrepancy check)";
    if (c.level > 0)
      pcout << " on grid sequencing level " << c.level;
    else if (inverse_parameters.stage_2.coarse_levels > 0)
      pcout << " on the given mesh";
    if (c.cycle > 0)
      pcout << " of adaptive cycle " << c.cycle << " (the mesh refined "
            << c.refinements.size() << " times as before)";
    pcout << std::endl;
    AssertThrow(c.level <= sequencing_level,
                ExcFile(join_path(output_parameters.directory, checkpoint_name),
                        0,
                        "the checkpoint's level of grid sequencing is not one "
                        "of this run."));
    // The finer levels before it, each from the last one's iterate (which
    // the checkpoint's replaces).
    while (sequencing_level > c.level)
      refine_sequencing_level();
    sequencing = c.sequencing;
    summary.set_section("stage 2 levels", c.levels_summary);
    summary.set_section("stage 2", c.stage_2_summary);
    for (const auto &cells : c.refinements)
      {
        release_mesh_objects();
        refine_cells(*triangulation, cells);
        rebuild_solvers();
      }
    if (!c.refinements.empty())
      setup_on_mesh(/*stage_2_only=*/true);
    refinement_history = c.refinements;
    stage_2_cycles     = c.cycles;
    stage_2_cycle      = c.cycle;
    regularization->set_weight(c.weight);

    LA::Vector fe_parameters, network;
    split_parameters(parameter_field->parameters(), fe_parameters, network);
    if (fe_parameters.size() > 0)
      {
        const unsigned int missing =
          set_from_cell_values(coefficient_dofs(), c.cell_values, fe_parameters);
        AssertThrow(Utilities::MPI::sum(missing, communicator) == 0,
                    ExcFile(join_path(output_parameters.directory, checkpoint_name),
                            0,
                            "the checkpoint's coefficient does not fit the "
                            "mesh it describes."));
      }
    if (network.size() > 0)
      {
        AssertThrow(network.size() == c.network.size(),
                    ExcFile(join_path(output_parameters.directory, checkpoint_name),
                            0,
                            "the checkpoint's network has another number of "
                            "weights."));
        for (const auto i : network.locally_owned_elements())
          network[i] = c.network[i];
        network.compress(VectorOperation::insert);
      }

    set_parameter_parts(fe_parameters, network);
  }



  template void
  Study<1>::set_resume(const bool);
  template std::vector<LA::Vector>
  Study<1>::checkpoint_states(
    const std::vector<std::map<std::string, std::vector<double>>> &,
    const std::vector<std::unique_ptr<StateSolver<1>>> &) const;
  template std::vector<LA::Vector>
  Study<2>::checkpoint_states(
    const std::vector<std::map<std::string, std::vector<double>>> &,
    const std::vector<std::unique_ptr<StateSolver<2>>> &) const;
  template std::vector<LA::Vector>
  Study<3>::checkpoint_states(
    const std::vector<std::map<std::string, std::vector<double>>> &,
    const std::vector<std::unique_ptr<StateSolver<3>>> &) const;
  template void
  Study<2>::set_resume(const bool);
  template void
  Study<3>::set_resume(const bool);
  template std::string
  Study<1>::parameters_fingerprint() const;
  template std::string
  Study<2>::parameters_fingerprint() const;
  template std::string
  Study<3>::parameters_fingerprint() const;
  template void
  Study<1>::write_checkpoint(const IterationReport &,
                              double,
                              const std::vector<const LA::Vector *> &,
                              const std::string &,
                              const std::vector<std::pair<double, std::string>> &,
                              const LevelPosition &,
                              const CoarseLevel *) const;
  template void
  Study<2>::write_checkpoint(const IterationReport &,
                              double,
                              const std::vector<const LA::Vector *> &,
                              const std::string &,
                              const std::vector<std::pair<double, std::string>> &,
                              const LevelPosition &,
                              const CoarseLevel *) const;
  template void
  Study<3>::write_checkpoint(const IterationReport &,
                              double,
                              const std::vector<const LA::Vector *> &,
                              const std::string &,
                              const std::vector<std::pair<double, std::string>> &,
                              const LevelPosition &,
                              const CoarseLevel *) const;
  template std::unique_ptr<Study<1>::Checkpoint>
  Study<1>::read_checkpoint() const;
  template std::unique_ptr<Study<2>::Checkpoint>
  Study<2>::read_checkpoint() const;
  template std::unique_ptr<Study<3>::Checkpoint>
  Study<3>::read_checkpoint() const;
  template void
  Study<1>::restore_checkpoint(const Checkpoint &);
  template void
  Study<2>::restore_checkpoint(const Checkpoint &);
  template void
  Study<3>::restore_checkpoint(const Checkpoint &);
} // namespace mollifem
